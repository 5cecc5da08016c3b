"""The jinja2 environment of the site and the codebook, and the static files beside it.

One environment for both: ``*.html`` templates are autoescaped, every other template (the
Markdown codebook, ``codebook.md.j2``) is not. An undefined variable is an error, never an
empty string, and a template's trailing newline is kept.

>>> environment().get_template("base.html").name
'base.html'
>>> asset("site.css").startswith("body{")
True
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ._paths import templates_dir

__all__ = ["environment", "asset"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The jinja2 environment loading the package's templates.

    Returns
    -------
    Environment
        Loads from :func:`soviet_figures._paths.templates_dir`; autoescapes ``*.html``
        templates only; raises on an undefined variable; keeps trailing newlines.

    Examples
    --------
    >>> env = environment()
    >>> env.from_string("{{ x }}").render(x="<b>")  # a string template is escaped as HTML
    '&lt;b&gt;'
    >>> env.autoescape("index.html"), env.autoescape("codebook.md.j2")
    (True, False)
    """
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def asset(name: str) -> str:
    """The text of a static file among the templates (``site.css``, ``site.js``), unrendered.

    Parameters
    ----------
    name : str
        The file's name inside the templates directory.

    Returns
    -------
    str
        Its content, read as UTF-8, exactly as stored (not passed through jinja2).

    Raises
    ------
    FileNotFoundError
        When the package has no such file.

    Examples
    --------
    >>> "getElementById('obs-data')" in asset("site.js")
    True
    """
    return (templates_dir() / name).read_text(encoding="utf-8")
