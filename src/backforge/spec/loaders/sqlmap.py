"""SQL facts -> spec facts, shared by the SQL, DBML and live-database importers.

Three questions every importer asks of a column, answered from sqlglot trees:
- its type (`map_type`): the nearest spec type, plus `db_type` when the
  PostgreSQL type differs from the one the spec type migrates to by default
  (so `smallint` stays `smallint`), or when there is no spec equivalent at all
  (`tsvector`, `text[]`, `bytea`, PostGIS `geometry`): such a column keeps its
  database type in the migration and is opaque in the API (sql/values.py: a JSON
  array for an array of scalars, else its PostgreSQL text form);
- its default (`map_default`): a literal, `now`, `gen_random_uuid()`, or an
  auto-increment sequence; any other expression cannot be held by the spec;
- what a CHECK says (`map_check`): a range becomes min/max, an enumeration
  becomes an enum; anything else stays a database-only check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from backforge.spec.naming import sql_identifier

DT = exp.DataType.Type
OPAQUE_API_TYPE = "text"

# sqlglot type -> (spec type, PostgreSQL type when it is not the spec type's default)
_SIMPLE: dict[Any, tuple[str, str | None]] = {
    DT.TEXT: ("text", None), DT.MEDIUMTEXT: ("text", None), DT.LONGTEXT: ("text", None),
    DT.TINYTEXT: ("text", None), DT.NAME: ("text", "name"),
    DT.INT: ("integer", None), DT.MEDIUMINT: ("integer", None),
    DT.SMALLINT: ("integer", "smallint"), DT.TINYINT: ("integer", "smallint"),
    DT.BIGINT: ("bigint", None),
    DT.FLOAT: ("float", "real"), DT.DOUBLE: ("float", None),
    DT.BOOLEAN: ("boolean", None), DT.DATE: ("date", None),
    DT.UUID: ("uuid", None), DT.JSONB: ("json", None), DT.JSON: ("json", "json"),
}
_SERIAL = {DT.SERIAL: ("integer", None), DT.SMALLSERIAL: ("integer", "smallint"),
           DT.BIGSERIAL: ("bigint", None)}
# MySQL UNSIGNED integers: the PostgreSQL type that holds the range, and the range
_UNSIGNED = {DT.UTINYINT: ("integer", "smallint", 255), DT.USMALLINT: ("integer", None, 65535),
             DT.UMEDIUMINT: ("integer", None, 16777215),
             DT.UINT: ("bigint", None, 4294967295), DT.UBIGINT: ("bigint", None, None)}
_TIMESTAMPS = {DT.TIMESTAMP: "timestamp", DT.DATETIME: "timestamp",
               DT.TIMESTAMPNTZ: "timestamp", DT.TIMESTAMPTZ: None, DT.TIMESTAMPLTZ: None}
# Extensions that provide a type, by the type's unqualified name.
EXTENSION_TYPES = {"vector": "vector", "halfvec": "vector", "sparsevec": "vector",
                   "geometry": "postgis", "geography": "postgis", "citext": "citext",
                   "hstore": "hstore", "ltree": "ltree", "cube": "cube"}


@dataclass(frozen=True)
class Domain:
    base: exp.DataType
    checks: tuple[exp.Expression, ...] = ()  # over the pseudo column VALUE
    not_null: bool = False


@dataclass
class Catalog:
    """Named types the schema declared: enums (name -> values) and domains."""

    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)


@dataclass
class Mapped:
    """A column type in spec terms: native field keys, and what was given up."""

    data: dict[str, Any]
    kind: str | None = None  # a report category when the type had no exact equivalent
    extension: str | None = None
    checks: tuple[exp.Expression, ...] = ()  # from a domain, over VALUE


def type_key(dt: exp.DataType) -> str:
    """The unqualified, case-folded name of a user-defined type ('public.Year' -> 'year')."""
    kind = dt.args.get("kind")
    ident = kind.expression if isinstance(kind, exp.Dot) else kind
    if isinstance(ident, exp.Identifier):
        return ident.name if ident.quoted else ident.name.lower()
    return dt.sql("postgres").rsplit(".", 1)[-1].strip('"').lower()


def pg_spelling(dt: exp.DataType) -> str:
    """The PostgreSQL spelling, lower-cased unless it quotes an identifier."""
    text = dt.sql("postgres")
    return text if '"' in text else text.lower()


def _params(dt: exp.DataType) -> list[int]:
    out = []
    for p in dt.expressions:
        inner = p.this if isinstance(p, exp.DataTypeParam) else p
        if isinstance(inner, exp.Literal) and not inner.is_string:
            out.append(int(inner.this))
    return out


def map_type(dt: exp.DataType, catalog: Catalog, *, postgres: bool = True) -> Mapped:
    """`postgres`: the source is PostgreSQL, so its own spellings are kept as db_type."""
    t = dt.this
    if t in _SIMPLE:
        kind, db = _SIMPLE[t]
        return Mapped(_typed(kind, db))
    if t in _SERIAL:
        kind, db = _SERIAL[t]
        return Mapped({**_typed(kind, db), "auto_increment": True})
    if t in _UNSIGNED:
        kind, db, top = _UNSIGNED[t]
        data = {**_typed(kind, db), "min": 0}
        if top is not None:
            data["max"] = top
        return Mapped(data, "unsigned")
    if t in (DT.VARCHAR, DT.NVARCHAR, DT.CHAR, DT.NCHAR, DT.BPCHAR):
        return _character(dt, postgres)
    if t in (DT.DECIMAL, DT.BIGDECIMAL):
        nums = _params(dt)
        data: dict[str, Any] = {"type": "decimal"}
        if nums:
            data["precision"] = nums[0]
            data["scale"] = nums[1] if len(nums) > 1 else 0
        return Mapped(data)
    if t in _TIMESTAMPS:
        return _timestamp(dt, postgres)
    if t is DT.ENUM:
        return Mapped({"type": "enum", "values": [str(v.this) for v in dt.expressions]})
    if t is DT.YEAR:
        return Mapped({"type": "integer", "min": 1901, "max": 2155}, "year")
    if t is DT.SET:
        return Mapped({"type": OPAQUE_API_TYPE, "db_type": "text[]"}, "set")
    if t is DT.USERDEFINED:
        return _user_defined(dt, catalog, postgres)
    return _opaque(dt)


def _typed(kind: str, db: str | None) -> dict[str, Any]:
    return {"type": kind, "db_type": db} if db else {"type": kind}


def _character(dt: exp.DataType, postgres: bool) -> Mapped:
    nums = _params(dt)
    fixed = dt.this in (DT.CHAR, DT.NCHAR, DT.BPCHAR)
    if not nums:
        if dt.this is DT.CHAR and postgres:  # `character` alone is character(1)
            return Mapped({"type": "string", "max_length": 1, "db_type": "char(1)"})
        if postgres:
            return Mapped({"type": "text", "db_type": "bpchar" if fixed else "varchar"})
        return Mapped({"type": "text"})
    data: dict[str, Any] = {"type": "string", "max_length": nums[0]}
    if fixed:
        data["db_type"] = f"char({nums[0]})"
    return Mapped(data)


def _timestamp(dt: exp.DataType, postgres: bool) -> Mapped:
    base = _TIMESTAMPS[dt.this]
    nums = _params(dt)
    precision = f"({nums[0]})" if nums and postgres else ""
    if base is None:
        return Mapped(_typed("datetime", f"timestamptz{precision}" if precision else None))
    return Mapped(_typed("datetime", f"{base}{precision}"))


def _user_defined(dt: exp.DataType, catalog: Catalog, postgres: bool) -> Mapped:
    name = type_key(dt)
    if name in catalog.enums:
        return Mapped({"type": "enum", "values": list(catalog.enums[name])}, "enum_type")
    domain = catalog.domains.get(name)
    if domain is not None:
        inner = map_type(domain.base, catalog, postgres=postgres)
        return Mapped(inner.data, inner.kind, inner.extension, (*inner.checks, *domain.checks))
    return _opaque(dt)


def _opaque(dt: exp.DataType) -> Mapped:
    extension = None
    name = type_key(dt) if dt.this is DT.USERDEFINED else dt.this.name.lower()
    extension = EXTENSION_TYPES.get(name)
    return Mapped({"type": OPAQUE_API_TYPE, "db_type": pg_spelling(dt)}, "opaque", extension)


# --- defaults ---------------------------------------------------------------------------

NO_DEFAULT = object()
_NOW_FUNCS = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentDatetime)
_NOW_NAMES = {"now", "current_timestamp", "localtimestamp", "transaction_timestamp",
              "statement_timestamp", "clock_timestamp", "current_date", "sysdate"}
_UUID_FUNCS = {"gen_random_uuid", "uuid_generate_v4", "uuid_generate_v1", "uuid_generate_v7",
               "uuidv4", "uuidv7", "uuid"}


@dataclass(frozen=True)
class Default:
    value: Any = NO_DEFAULT  # a spec default, or NO_DEFAULT
    sequence: bool = False  # nextval(...): an auto-increment column
    dropped: str | None = None  # the SQL of an expression the spec cannot hold
    replaced: str | None = None  # the SQL of a uuid function that became gen_random_uuid()


def map_default(expr: exp.Expression | None) -> Default:
    if expr is None or isinstance(expr, exp.Null):
        return Default()
    while isinstance(expr, (exp.Cast, exp.Paren)):
        expr = expr.this
    if isinstance(expr, exp.Boolean):
        return Default(bool(expr.this))
    number = _number(expr)
    if number is not None:
        return Default(number)
    if isinstance(expr, exp.Literal):
        return Default(str(expr.this))
    if isinstance(expr, _NOW_FUNCS):
        return Default("now")
    name = _function_name(expr)
    if name in _NOW_NAMES:
        return Default("now")
    if name == "nextval":
        return Default(sequence=True)
    if name in _UUID_FUNCS:
        if _lower_sql(expr) == "gen_random_uuid()":
            return Default("gen_random_uuid()")
        return Default("gen_random_uuid()", replaced=_lower_sql(expr))
    return Default(dropped=_lower_sql(expr))


def _lower_sql(expr: exp.Expression) -> str:
    text = expr.sql("postgres")
    return text if "'" in text or '"' in text else text.lower()


def _function_name(expr: exp.Expression) -> str | None:
    if isinstance(expr, exp.Anonymous):
        return str(expr.this).lower()
    if isinstance(expr, exp.Func):
        return expr.sql_name().lower()
    if isinstance(expr, exp.Column) and not expr.table:  # CURRENT_TIMESTAMP parsed as a name
        return expr.name.lower()
    return None


def _number(expr: exp.Expression) -> int | float | None:
    negative = isinstance(expr, exp.Neg)
    inner = expr.this if negative else expr
    if not (isinstance(inner, exp.Literal) and not inner.is_string):
        return None
    text = str(inner.this)
    try:
        value: int | float = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
    return -value if negative else value


# --- checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckFacts:
    """What a CHECK says about one column; `rest` holds what it says beyond that."""

    column: str | None = None  # the column's name as written in the check
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] | None = None
    rest: tuple[exp.Expression, ...] = ()


def _conjuncts(expr: exp.Expression) -> list[exp.Expression]:
    while isinstance(expr, exp.Paren):
        expr = expr.this
    if isinstance(expr, exp.And):
        return _conjuncts(expr.this) + _conjuncts(expr.expression)
    return [expr]


def _subject(expr: exp.Expression) -> str | None:
    while isinstance(expr, (exp.Paren, exp.Cast)):
        expr = expr.this
    if isinstance(expr, exp.Column) and not expr.table:
        return expr.name
    return None


_FLIP = {exp.GTE: exp.LTE, exp.LTE: exp.GTE, exp.GT: exp.LT, exp.LT: exp.GT}


def _bound(part: exp.Expression) -> tuple[str, str, float] | None:
    """(column, 'min'|'max', value) for `col >= 3`, `3 <= col`, `col > 2` (integers)."""
    cls = type(part)
    if cls not in _FLIP:
        return None
    col, num = _subject(part.this), _number(_unwrap(part.expression))
    if col is None:
        col, num, cls = _subject(part.expression), _number(_unwrap(part.this)), _FLIP[cls]
    if col is None or num is None:
        return None
    if cls in (exp.GT, exp.LT) and not isinstance(num, int):
        return None  # a strict bound on a fraction has no min/max equivalent
    if cls is exp.GTE:
        return col, "min", num
    if cls is exp.GT:
        return col, "min", num + 1
    if cls is exp.LTE:
        return col, "max", num
    return col, "max", num - 1


def _unwrap(expr: exp.Expression) -> exp.Expression:
    while isinstance(expr, (exp.Paren, exp.Cast)):
        expr = expr.this
    return expr


def _facts_of(part: exp.Expression) -> tuple[str, dict[str, Any]] | None:
    bound = _bound(part)
    if bound is not None:
        return bound[0], {bound[1]: bound[2]}
    if isinstance(part, exp.Between):
        col = _subject(part.this)
        lo, hi = _number(_unwrap(part.args["low"])), _number(_unwrap(part.args["high"]))
        if col is not None and lo is not None and hi is not None:
            return col, {"min": lo, "max": hi}
    values = _in_values(part)
    if values is not None:
        return values
    return None


def _in_values(part: exp.Expression) -> tuple[str, dict[str, Any]] | None:
    """`col IN ('a','b')` and PostgreSQL's `col = ANY (ARRAY['a','b'])`."""
    if isinstance(part, exp.In) and _subject(part.this):
        items = [_unwrap(e) for e in part.expressions]
        col = _subject(part.this)
    elif isinstance(part, exp.EQ) and isinstance(part.expression, exp.Any) \
            and _subject(part.this):
        array = _unwrap(part.expression.this)
        items = [_unwrap(e) for e in array.expressions] if isinstance(array, exp.Array) else []
        col = _subject(part.this)
    else:
        return None
    if not items or not all(isinstance(i, exp.Literal) and i.is_string for i in items):
        return None
    values = tuple(str(i.this) for i in items)
    if len(set(values)) != len(values):
        return None
    return col, {"values": values}  # type: ignore[return-value]


def map_check(expr: exp.Expression) -> CheckFacts:
    """Split a CHECK into facts about one column and the parts that stay database-only."""
    column: str | None = None
    facts: dict[str, Any] = {}
    rest: list[exp.Expression] = []
    for part in _conjuncts(expr):
        found = _facts_of(part)
        if found is None or (column is not None and found[0] != column) \
                or any(k in facts for k in found[1]):
            rest.append(part)
            continue
        column = found[0]
        facts.update(found[1])
    if column is None:
        return CheckFacts(rest=tuple(rest))
    return CheckFacts(column, facts.get("min"), facts.get("max"), facts.get("values"),
                      tuple(rest))


def render_check(parts: tuple[exp.Expression, ...]) -> str:
    """The PostgreSQL text of `a AND b` over the columns' SQL names (as the stacks derive
    them from the spec's field names: snake_case, always quoted)."""
    joined = parts[0] if len(parts) == 1 else exp.and_(*parts)
    while isinstance(joined, exp.Paren):
        joined = joined.this

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table:
            return exp.column(exp.to_identifier(sql_identifier(node.name), quoted=True))
        return node

    return joined.copy().transform(fix).sql("postgres", comments=False)


def value_to_column(expr: exp.Expression, column: str) -> exp.Expression:
    """A domain's CHECK over VALUE, rewritten as a CHECK over `column`."""
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.upper() == "VALUE":
            return exp.column(exp.to_identifier(column))
        return node

    return expr.copy().transform(fix)
