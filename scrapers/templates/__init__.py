"""Per-site templates learned from the site's own stored pages: where body, title, lead,
date and author sit, which boxes inside the body are not text, and which text blocks the
site repeats on most pages (menus, footers, "Tin liên quan", share bars).

Hand rules (include/cms/*.yaml) win where someone wrote them; a learned template comes
next, and the generic path last. Pure, like ``scrapers.extract``: pages in, a
:class:`~scrapers.templates.model.Template` out (``learn.learn_template``), and a template
applied to one page (``apply.apply_template``); the warehouse side is
``scrapers.store.templates`` and ``scrapers.steps.learn``.

Submodules are imported where they are used: ``scrapers.extract`` calls ``apply``, which
itself builds on ``scrapers.extract``.
"""
