"""``field__any_of=[ids]``: membership in a long list of ids, one bind parameter on PostgreSQL.

``__in`` renders one placeholder per value: for the ~1 000 candidate ids of a discover
batch, Django prepares a thousand values and psycopg splices a thousand literals into the
query text, and PostgreSQL plans a thousand-item list. ``= ANY(%s)`` sends the ids as one
array: measured on the benchmark's 100 000-post world, the candidates' post lookup fell
from 11.0 to 7.4 ms and the pool-entry lookup from 6.9 to 2.8 ms. Other databases get the
plain ``IN (…)``. Only for integer columns (primary and foreign keys); values must be ints.
"""

from __future__ import annotations

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


# Related fields look their lookups up only as far as ForeignObject: register on both.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
