"""What every template-rendering stack shares: the quoting layer (one filter per
target language) and `SpecText`, the wrapper spec strings travel in until a filter
quotes them.

This package sits below `sql/`, `rest/` and `stacks/` (it imports nothing from
backforge), so the DDL writer, express-js and a future express-ts quote with the
same functions.
"""

from backforge.render.quoting import FILTERS, SpecText, UnquotedSpecText, finalize, spec_text

__all__ = ["FILTERS", "SpecText", "UnquotedSpecText", "finalize", "spec_text"]
