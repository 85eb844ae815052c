"""The page's own CSS and JavaScript, behind the same login as the pages (a StaticFiles
mount would bypass the app's dependencies): only the files listed are served."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

router = APIRouter()
STATIC = Path(__file__).parent / "static"
FILES = {"provnews.css": "text/css", "provnews.js": "text/javascript"}


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    if name not in FILES:
        raise HTTPException(404, "no such file")
    return FileResponse(STATIC / name, media_type=FILES[name],
                        headers={"Cache-Control": "private, max-age=300"})
