//! SQL literals that diesel can keep prepared.
//!
//! Diesel never caches the prepared statement of a query that holds a `diesel::dsl::sql`
//! literal: such a query is parsed and planned anew every time it runs. Some conditions must be
//! literals all the same (a partial index is only used when the query's `WHERE` repeats its
//! predicate word for word, and neither planner matches it against bound values), and some
//! orderings are spelled per backend. [`sql_literal!`] declares a unit type that always writes the
//! same SQL and has a query id of its own, so diesel keys such a statement by its type and keeps
//! it.

/// `sql_literal!(Name: SqlType = "SQL")`: a unit expression type writing `SQL`, for use in
/// `filter`, `order` and `select` wherever the SQL's columns are in scope.
macro_rules! sql_literal {
    ($(#[$meta:meta])* $vis:vis $name:ident : $sql_type:ty = $sql:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, diesel::query_builder::QueryId)]
        $vis struct $name;

        impl diesel::expression::Expression for $name {
            type SqlType = $sql_type;
        }

        impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for $name {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
            ) -> diesel::QueryResult<()> {
                out.push_sql($sql);
                Ok(())
            }
        }

        impl<QS> diesel::AppearsOnTable<QS> for $name {}

        impl<QS> diesel::SelectableExpression<QS> for $name {}

        impl<GB> diesel::expression::ValidGrouping<GB> for $name {
            type IsAggregate = diesel::expression::is_aggregate::Never;
        }
    };
}

pub(crate) use sql_literal;
