//! Diesel column mappings (feature `diesel`, server only): ids are `BIGINT`, and the stored
//! enums (`Role`, `Visibility`, `VenueKind`) are `TEXT` holding their serialised names. Written
//! generically over the backend so that one impl serves SQLite, PostgreSQL and the server's
//! `MultiConnection` backend.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::{
    ClaimStatus, EmailDigest, FlagReason, FlagStatus, FlagTargetKind, Role, VenueKind, Visibility,
};

macro_rules! text_enum {
    ($($name:ident),*) => {$(
        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                String::from_sql(bytes).map(|s| Self::from_db(&s))
            }
        }
    )*};
}

text_enum!(
    Role,
    Visibility,
    VenueKind,
    FlagReason,
    FlagTargetKind,
    FlagStatus,
    ClaimStatus,
    EmailDigest
);
