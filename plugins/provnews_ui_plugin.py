"""The provnews page in the Airflow UI: a FastAPI app at /provnews on the API server and a
nav entry that shows it in an iframe at /plugin/provnews.

Airflow imports this module in the API server, scheduler, DAG processor and every task
process, so it imports nothing heavy: the app (FastAPI, Jinja, Airflow's security module,
the warehouse queries) is built on its first request, in the API server only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from airflow.plugins_manager import AirflowPlugin

URL_PREFIX = "/provnews"


class LazyApp:
    """An ASGI app that builds ``provnews_ui.app.create_app()`` when first called."""

    def __init__(self) -> None:
        self._app: Any = None

    @property
    def app(self) -> Any:
        if self._app is None:
            from provnews_ui.app import create_app

            self._app = create_app()
        return self._app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


class ProvnewsUIPlugin(AirflowPlugin):
    name = "provnews_ui"
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [
        {"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "provnews"}]
    external_views: ClassVar[list[dict[str, Any]]] = [
        {"name": "provnews", "href": f"{URL_PREFIX}/", "destination": "nav",
         "url_route": "provnews"}]
