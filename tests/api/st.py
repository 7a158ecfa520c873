"""schemathesis, with a guard around a CPython 3.11 bug.

Hypothesis describes the filters schemathesis builds by parsing their source
with `ast.parse`; on CPython 3.11 that parse can fail inside the interpreter
("SystemError: AST constructor recursion depth mismatch", python/cpython#106905)
when it happens deep in a call stack, which ends the operation's run with an
error that says nothing about our API. The description is only a repr, so a
failed one becomes a placeholder; every check still runs.
"""
import re
import sys

import hypothesis.internal.lambda_sources as lambda_sources

# Every description goes through this module-level function (looked up at
# call time), whichever public helper asked for it.
_describe = lambda_sources._lambda_description


def _describe_or_placeholder(f):
    try:
        return _describe(f)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _describe_or_placeholder

from schemathesis.cli import schemathesis  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(schemathesis())
