"""The lexical tokens of SPARQL text: strings, IRIs, comments, variables, prefixed names, words.

Whoever reads or rewrites query text token by token (the server's limits, the query text the
remote store sends) sees a keyword inside a string or an IRI as what it is, not as a keyword."""

from __future__ import annotations

import re

__all__ = ["TOKEN"]

# Order matters: the first alternative that matches at a position wins.
TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
               |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
               |'(?:[^'\\\r\n]|\\.)*'
               |"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7]+)
    | (?P<bnode>_:[\w\-.]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?P<prefix>[^\W\d_][\w\-.]*)?:(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
    | (?P<word>[^\W\d_]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
