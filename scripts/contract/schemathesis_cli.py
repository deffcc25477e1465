"""schemathesis's command line, minus a crash of Python 3.11's parser.

CPython 3.11 (3.11.7 here, Debian's) can fail `ast.parse` with "SystemError: AST constructor
recursion depth mismatch" on a large module. hypothesis parses source to describe a filter's lambda
(only a description, for messages) while schemathesis builds negative cases, and the run then
reports a "Runtime Error" for that operation that is nobody's but the interpreter's. Such a lambda is
described as "lambda" instead; nothing else changes.
"""
import sys

import hypothesis.internal.lambda_sources as lambda_sources

_describe = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda"


lambda_sources._lambda_description = _lambda_description

from schemathesis.cli import schemathesis  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())
