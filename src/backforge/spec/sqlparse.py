"""The sqlglot half of the raw SQL gate (spec/sqlgate.py holds the policy and the
project walk): one PostgreSQL boolean expression parsed, allow-listed and re-rendered
from its tree, and a type name read from sqlglot's tokens.

Only specs that carry raw SQL (a check, a partial-index predicate, a db_type) and the
stacks' renderers import this module: sqlglot costs ~90 ms of start-up, which a YAML
spec without raw SQL, above all an unchanged re-run, does not pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from backforge.spec import limits
from backforge.spec.problems import SqlRejected

__all__ = ["column_type", "expression"]

_PG = Dialect.get_or_raise("postgres")
_LOGIC = (exp.And, exp.Or, exp.Not, exp.Paren)
_PREDICATES = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ,
               exp.NullSafeNEQ, exp.Is, exp.In, exp.Between, exp.Like, exp.ILike,
               exp.RegexpLike, exp.RegexpILike, exp.Boolean, exp.Column)
_VALUES = (exp.Literal, exp.Null, exp.Neg, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod,
           exp.DPipe, exp.Cast, exp.DataType, exp.DataTypeParam, exp.Array, exp.Any,
           exp.Interval, exp.Identifier)
_FUNCTIONS = (exp.Lower, exp.Upper, exp.Length, exp.Trim, exp.Coalesce, exp.Nullif,
              exp.Greatest, exp.Least, exp.Abs, exp.Round, exp.Floor, exp.Ceil,
              exp.CurrentTimestamp, exp.CurrentDate)
_ALLOWED = frozenset((*_LOGIC, *_PREDICATES, *_VALUES, *_FUNCTIONS))
_FUNCTION_NAMES = ("lower, upper, length, char_length, trim, btrim, coalesce, nullif, "
                   "greatest, least, abs, round, floor, ceil, now, current_date")
_ODD_STRINGS = {TokenType.HEREDOC_STRING: "dollar-quoted string",
                TokenType.RAW_STRING: "raw string", TokenType.BYTE_STRING: "E'...' string",
                TokenType.UNICODE_STRING: "U&'...' string",
                TokenType.NATIONAL_STRING: "N'...' string",
                TokenType.HEX_STRING: "hex string", TokenType.BIT_STRING: "bit string"}
_STATEMENTS = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Subquery, exp.Transaction)
_BOOLEAN = "one SQL boolean expression"

# PostgreSQL type names of more than one word; `with[out] time zone` may also follow
# the arguments (`timestamp(3) with time zone`).
_MULTI_WORD = frozenset({
    "double precision", "character varying", "bit varying", "national character",
    "national character varying", "timestamp with time zone", "timestamp without time zone",
    "time with time zone", "time without time zone",
    *(f"interval {f}" for f in ("year", "month", "day", "hour", "minute", "second",
                                "year to month", "day to hour", "day to minute",
                                "day to second", "hour to minute", "hour to second",
                                "minute to second")),
})
_ZONE = ("with time zone", "without time zone")
_LENGTH_TYPES = frozenset({"varchar", "character varying", "char", "character", "bpchar",
                           "nchar", "nvarchar", "national character",
                           "national character varying", "bit", "bit varying", "varbit"})
_PRECISION_TYPES = frozenset({"numeric", "decimal"})
_NOT_WORDS = frozenset({TokenType.L_PAREN, TokenType.R_PAREN, TokenType.COMMA, TokenType.DOT,
                        TokenType.L_BRACKET, TokenType.R_BRACKET, TokenType.IDENTIFIER,
                        TokenType.NUMBER, TokenType.STRING, *_ODD_STRINGS})



# --- expressions (checks, partial-index predicates) ------------------------------------


def expression(text: str, columns: Mapping[str, str] | None = None) -> str:
    """The canonical text of one boolean expression; SqlRejected when it is not one.

    `columns` maps each name a reference may use (field name and SQL name) to the SQL
    column name; None accepts any unqualified name as written (for re-rendering text
    this function produced)."""
    if not isinstance(text, str):
        raise SqlRejected(f"expected {_BOOLEAN} as text", "quote the expression")
    cols = tuple(sorted(columns.items())) if columns is not None else None
    return _expression(text, cols)


@lru_cache(maxsize=4096)
def _expression(text: str, columns: tuple[tuple[str, str], ...] | None) -> str:
    tokens = _tokens(text)
    tree = _parse(text, tokens)
    _allowed(tree)
    lookup = dict(columns) if columns is not None else None
    try:
        return tree.transform(lambda node: _column(node, lookup)).sql("postgres",
                                                                     comments=False)
    except RecursionError:
        raise _too_deep() from None


def _tokens(text: str) -> list[Token]:
    if len(text) > limits.MAX_SQL_CHARS:
        raise SqlRejected(f"{len(text):,} characters exceed the limit of "
                          f"{limits.MAX_SQL_CHARS:,} for a SQL expression", "shorten it")
    try:
        tokens = _PG.tokenize(text)
    except (TokenError, ValueError) as exc:
        raise SqlRejected(f"cannot be read as SQL ({_first_line(exc)})",
                          f"write {_BOOLEAN}, e.g. \"price\" > 0") from None
    if not tokens:
        raise SqlRejected(f"expected {_BOOLEAN}, found nothing", "write e.g. \"price\" > 0")
    _no_tricks(tokens)
    return tokens


def _no_tricks(tokens: list[Token]) -> None:
    statements = sum(1 for part in _split(tokens) if part)
    if statements > 1:
        raise SqlRejected(f"expected {_BOOLEAN}, found {statements} statements",
                          "remove the ';' and everything after it")
    if any(t.token_type is TokenType.SEMICOLON for t in tokens):
        raise SqlRejected(f"expected {_BOOLEAN}, found a ';'", "remove the ';'")
    if any(t.comments for t in tokens):
        raise SqlRejected("comments are not allowed in a SQL expression",
                          "remove the /* ... */ or -- comment")
    odd = next((t for t in tokens if t.token_type in _ODD_STRINGS), None)
    if odd is not None:
        raise SqlRejected(f"a {_ODD_STRINGS[odd.token_type]} is not allowed",
                          "write a plain '...' literal (double a quote inside it: 'it''s')")
    if len(tokens) > limits.MAX_SQL_TOKENS:
        raise SqlRejected(f"{len(tokens):,} tokens exceed the limit of "
                          f"{limits.MAX_SQL_TOKENS:,} for a SQL expression",
                          "simplify the expression")
    depth = deepest = 0
    for t in tokens:
        depth += (t.token_type is TokenType.L_PAREN) - (t.token_type is TokenType.R_PAREN)
        deepest = max(deepest, depth)
    if deepest > limits.MAX_SQL_PAREN_DEPTH:
        raise SqlRejected(f"parentheses nest {deepest} deep; the limit is "
                          f"{limits.MAX_SQL_PAREN_DEPTH}", "simplify the expression")


def _split(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for t in tokens:
        if t.token_type is TokenType.SEMICOLON:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _parse(text: str, tokens: list[Token]) -> exp.Expression:
    try:
        parsed = [p for p in _PG.parser().parse(tokens, text) if p is not None]
    except ParseError as exc:
        raise SqlRejected(f"not a valid SQL expression ({_first_line(exc)})",
                          f"write {_BOOLEAN}, e.g. \"price\" > 0") from None
    except RecursionError:
        raise _too_deep() from None
    if len(parsed) != 1:
        raise SqlRejected(f"expected {_BOOLEAN}, found {len(parsed)} statements",
                          "write a single expression")
    tree = parsed[0]
    if isinstance(tree, _STATEMENTS):
        raise SqlRejected(f"expected {_BOOLEAN}, found a statement ({_kind(tree)})",
                          "write a condition over the table's columns, e.g. \"price\" > 0")
    top = tree
    while isinstance(top, exp.Paren):
        top = top.this
    if not isinstance(top, (*_LOGIC, *_PREDICATES)):
        raise SqlRejected(f"expected {_BOOLEAN}, found {_kind(top)}",
                          "compare it, e.g. \"price\" > 0")
    return tree


def _allowed(tree: exp.Expression) -> None:
    """Every node is on the allow-list; the tree is at most MAX_SQL_TREE_DEPTH deep."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.MAX_SQL_TREE_DEPTH:
            raise _too_deep()
        _node_allowed(node)
        stack.extend((child, depth + 1) for child in node.iter_expressions())


def _node_allowed(node: exp.Expression) -> None:
    kind = type(node)
    if isinstance(node, _STATEMENTS):
        raise SqlRejected(f"a statement ({_kind(node)}) is not allowed inside an expression",
                          "use only the table's own columns and literals")
    if kind is exp.Var and isinstance(node.parent, exp.Interval):
        return  # the unit of INTERVAL '1' DAY
    if kind not in _ALLOWED:
        if isinstance(node, exp.Func):
            name = node.name if kind is exp.Anonymous else node.sql_name()
            raise SqlRejected(f"function '{name.lower()}' is not allowed",
                              f"use only {_FUNCTION_NAMES}")
        raise SqlRejected(f"{_kind(node)} is not allowed in a SQL expression",
                          "use columns, literals, comparisons, AND/OR/NOT, IN, BETWEEN, "
                          "LIKE, IS NULL, casts and simple functions")
    if kind is exp.Column and (node.table or not isinstance(node.this, exp.Identifier)):
        raise SqlRejected(f"the column reference {node.sql('postgres')} is qualified",
                          "name only a column of this table, e.g. \"price\"")


def _column(node: exp.Expression, columns: dict[str, str] | None) -> exp.Expression:
    if not isinstance(node, exp.Column):
        return node
    ident = node.this
    name = ident.name
    if columns is None:
        return exp.column(exp.to_identifier(name, quoted=True))
    sql = columns.get(name) if ident.quoted else columns.get(name.lower())
    if sql is None:
        sql = next((v for k, v in columns.items() if k.lower() == name.lower()), None) \
            if not ident.quoted else None
    if sql is None:
        known = ", ".join(sorted(set(columns.values()))[:12])
        raise SqlRejected(f"no column '{name}' in this table", f"use one of: {known}")
    return exp.column(exp.to_identifier(sql, quoted=True))


def _kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Create):
        return f"CREATE {str(node.args.get('kind') or '').upper()}".strip()
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, (exp.Select, exp.Subquery)):
        return "a SELECT"
    if isinstance(node, exp.Literal):
        return "a string" if node.is_string else "a number"
    return type(node).__name__


def _too_deep() -> SqlRejected:
    return SqlRejected(f"the expression nests deeper than {limits.MAX_SQL_TREE_DEPTH} levels",
                       "simplify the expression")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:120]


# --- column types -------------------------------------------------------------------------


def column_type(text: str) -> str:
    """The canonical spelling of one PostgreSQL type name; SqlRejected otherwise."""
    if not isinstance(text, str):
        raise SqlRejected("expected a PostgreSQL type name as text", "e.g. smallint")
    return _column_type(text)


@lru_cache(maxsize=1024)
def _column_type(text: str) -> str:
    if len(text) > 200:
        raise SqlRejected(f"a type name of {len(text):,} characters", "e.g. smallint")
    try:
        tokens = _PG.tokenize(text)
    except (TokenError, ValueError) as exc:
        raise SqlRejected(f"cannot be read as a type ({_first_line(exc)})",
                          "e.g. smallint, text[], numeric(10, 2)") from None
    if any(t.comments for t in tokens):
        raise SqlRejected("comments are not allowed in a type", "remove the comment")
    return _TypeReader(tokens).read()


class _TypeReader:
    """name ('.' name)* ['(' arg (',' arg)* ')'] [with[out] time zone] ('[' [n] ']')*"""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def read(self) -> str:
        parts = [self._name()]
        while self._at(TokenType.DOT):
            self.pos += 1
            parts.append(self._name())
        base = parts[-1]
        out = ".".join(parts)
        if self._at(TokenType.L_PAREN):
            args = self._args()
            _check_args(base, args)
            out += "(" + ", ".join(args) + ")"
            zone = self._words()
            if zone:
                if " ".join(zone) not in _ZONE or base not in ("timestamp", "time"):
                    raise _bad_type(f"'{' '.join(zone)}' after the arguments")
                out += " " + " ".join(zone)
        while self._at(TokenType.L_BRACKET):
            self.pos += 1
            size = self._take_number() if self._at(TokenType.NUMBER) else ""
            self._expect(TokenType.R_BRACKET)
            out += f"[{size}]"
        if self.pos != len(self.tokens):
            raise _bad_type(f"unexpected {self.tokens[self.pos].text!r}")
        return out

    def _at(self, kind: TokenType) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos].token_type is kind

    def _expect(self, kind: TokenType) -> None:
        if not self._at(kind):
            got = self.tokens[self.pos].text if self.pos < len(self.tokens) else "the end"
            raise _bad_type(f"unexpected {got!r}")
        self.pos += 1

    def _words(self) -> list[str]:
        words = []
        while self.pos < len(self.tokens) and _is_word(self.tokens[self.pos]):
            words += self.tokens[self.pos].text.lower().split()
            self.pos += 1
        return words

    def _name(self) -> str:
        if self._at(TokenType.IDENTIFIER):  # a quoted name keeps its spelling
            name = self.tokens[self.pos].text
            self.pos += 1
            if not name or len(name.encode()) > limits.PG_MAX_NAME_BYTES or "\x00" in name:
                raise _bad_type("a quoted name must be 1 to 63 bytes")
            return '"' + name.replace('"', '""') + '"'
        words = self._words()
        phrase = " ".join(words)
        if not words:
            got = self.tokens[self.pos].text if self.pos < len(self.tokens) else "nothing"
            raise _bad_type(f"expected a type name, found {got!r}")
        if len(words) > 1 and phrase not in _MULTI_WORD:
            raise _bad_type(f"'{phrase}' is not one PostgreSQL type name")
        return phrase

    def _args(self) -> list[str]:
        self._expect(TokenType.L_PAREN)
        args = []
        while True:
            if self._at(TokenType.NUMBER):
                args.append(self._take_number())
            elif self.pos < len(self.tokens) and _is_word(self.tokens[self.pos]) \
                    and " " not in self.tokens[self.pos].text.strip():
                args.append(self.tokens[self.pos].text.lower())
                self.pos += 1
            else:
                raise _bad_type("type arguments must be numbers or words")
            if self._at(TokenType.COMMA):
                self.pos += 1
                continue
            self._expect(TokenType.R_PAREN)
            return args

    def _take_number(self) -> str:
        text = self.tokens[self.pos].text
        self.pos += 1
        if not text.isdigit():
            raise _bad_type(f"{text!r} is not a whole number")
        return str(int(text))


def _is_word(token: Token) -> bool:
    """A bare word (or a keyword of several, like DOUBLE PRECISION): letters, digits, _."""
    if token.token_type in _NOT_WORDS:
        return False
    return all(part.isascii() and (part[:1].isalpha() or part[:1] == "_")
               and part.replace("_", "").isalnum() for part in token.text.split()) \
        and bool(token.text.split())


def _check_args(base: str, args: list[str]) -> None:
    numbers = [int(a) for a in args if a.isdigit()]
    if base in _LENGTH_TYPES and numbers and numbers[0] > limits.PG_MAX_VARCHAR_LENGTH:
        raise SqlRejected(f"length {numbers[0]:,} exceeds PostgreSQL's limit of "
                          f"{limits.PG_MAX_VARCHAR_LENGTH:,}", "use text for longer values")
    if base in _PRECISION_TYPES and numbers:
        if numbers[0] > limits.PG_MAX_NUMERIC_PRECISION:
            raise SqlRejected(f"precision {numbers[0]:,} exceeds PostgreSQL's limit of "
                              f"{limits.PG_MAX_NUMERIC_PRECISION:,}", "use a smaller precision")
        if len(numbers) > 1 and numbers[1] > numbers[0]:
            raise SqlRejected("the scale exceeds the precision", "e.g. numeric(10, 2)")


def _bad_type(what: str) -> SqlRejected:
    return SqlRejected(f"expected one PostgreSQL type name, {what}",
                       "e.g. smallint, text[], numeric(10, 2), timestamp(3) with time zone")
