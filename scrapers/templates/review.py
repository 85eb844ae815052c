"""A template as YAML for an engineer to review: its ``extract:`` block has the shape of
include/cms/*.yaml (paste it there to promote the template to hand rules), followed by
each selector's support and the boilerplate blocks dropped from bodies."""

from __future__ import annotations

import yaml

from scrapers.templates.model import Template


def review_yaml(template: Template, slug: str) -> str:
    rules = template.rules.model_dump(include={*template.fields, "exclude", "lead_prefixes"},
                                      exclude_defaults=True)
    support = {name: rule.support for name, rule in template.fields.items()}
    if template.exclude:
        support["exclude"] = {r.value: r.support for r in template.exclude}
    if template.lead_prefixes:
        support["lead_prefixes"] = {r.value: r.support for r in template.lead_prefixes}
    head = (f"# {slug}: learned template v{template.version} from {template.pages_used} "
            "stored pages\n# support: share of those pages on which the selector finds what "
            "the page itself shows\n")
    body = {"extract": rules, "support": support,
            "boilerplate": [{"share": b.share, "text": b.text} for b in template.boilerplate]}
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False,
                                 default_flow_style=None, width=100)
