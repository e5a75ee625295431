//! Row types (`FromRow`) and their conversion into domain values, plus a small builder for the
//! few queries whose WHERE clause depends on the filters given.

use chrono::NaiveDate;
use motcua_domain::admin::{AdminUnit, Agency, AgencyKind, SuccessorLink, UnitLevel, Validity};
use motcua_domain::ids::{AgencyCode, UnitCode, Username};
use motcua_domain::user::{Role, SignIn, User};
use motcua_storage::{StoreError, StoreResult};
use uuid::Uuid;

/// A stored value that no longer parses is a data fault, reported, never unwrapped.
pub(crate) fn bad<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> StoreError + '_ {
    move |e| StoreError::Other(format!("stored {what} is invalid: {e}"))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl TryFrom<UnitRow> for AdminUnit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> StoreResult<Self> {
        Ok(AdminUnit {
            code: UnitCode::parse(&r.code).map_err(bad("unit code"))?,
            name: r.name,
            level: UnitLevel::parse(&r.level).map_err(bad("unit level"))?,
            parent: r.parent_code.as_deref().map(UnitCode::parse).transpose().map_err(bad("unit parent"))?,
            validity: Validity { valid_from: r.valid_from, valid_to: r.valid_to },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LinkRow {
    pub from_code: String,
    pub to_code: String,
    pub share: Option<String>,
}

impl TryFrom<LinkRow> for SuccessorLink {
    type Error = StoreError;
    fn try_from(r: LinkRow) -> StoreResult<Self> {
        Ok(SuccessorLink {
            from: UnitCode::parse(&r.from_code).map_err(bad("successor"))?,
            to: UnitCode::parse(&r.to_code).map_err(bad("successor"))?,
            share: r.share,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AgencyRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub unit_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl TryFrom<AgencyRow> for Agency {
    type Error = StoreError;
    fn try_from(r: AgencyRow) -> StoreResult<Self> {
        Ok(Agency {
            code: AgencyCode::parse(&r.code).map_err(bad("agency code"))?,
            name: r.name,
            kind: AgencyKind::parse(&r.kind).map_err(bad("agency kind"))?,
            parent: r.parent_code.as_deref().map(AgencyCode::parse).transpose().map_err(bad("agency parent"))?,
            unit: UnitCode::parse(&r.unit_code).map_err(bad("agency unit"))?,
            validity: Validity { valid_from: r.valid_from, valid_to: r.valid_to },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub agency_code: Option<String>,
    /// How the session was opened, where the row comes from a session.
    #[sqlx(default)]
    pub sign_in: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> StoreResult<Self> {
        Ok(User {
            id: r.id,
            username: Username::parse(&r.username).map_err(bad("username"))?,
            full_name: r.full_name,
            role: Role::parse(&r.role).map_err(bad("role"))?,
            agency: r.agency_code.as_deref().map(AgencyCode::parse).transpose().map_err(bad("user agency"))?,
            signed_in_with: match r.sign_in.as_deref() {
                None => SignIn::Password,
                Some(s) => SignIn::parse(s).ok_or_else(|| StoreError::Other(format!("unknown sign-in {s}")))?,
            },
        })
    }
}

/// A bind value of a query built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Date(NaiveDate),
    Instant(chrono::DateTime<chrono::Utc>),
    Int(i64),
    Uuid(uuid::Uuid),
}

/// WHERE clauses and their binds, numbered `$1..` in order of addition.
#[derive(Debug, Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub binds: Vec<Bind>,
}

impl Where {
    /// Add a bind and return its placeholder.
    pub fn bind(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }
    /// Add a clause; `{}` in `clause` is replaced by the placeholder of `b`.
    pub fn and(&mut self, clause: &str, b: Bind) {
        let ph = self.bind(b);
        self.clauses.push(clause.replace("{}", &ph));
    }
    /// `column IN (...)` over `values` (nothing matches an empty list).
    pub fn and_in(&mut self, column: &str, values: impl IntoIterator<Item = String>) {
        self.and_in_binds(column, values.into_iter().map(Bind::Text));
    }
    /// `column IN (...)` over values of any type (nothing matches an empty list).
    pub fn and_in_binds(&mut self, column: &str, values: impl IntoIterator<Item = Bind>) {
        let phs: Vec<String> = values.into_iter().map(|b| self.bind(b)).collect();
        if phs.is_empty() {
            self.clauses.push("1 = 0".into());
        } else {
            self.clauses.push(format!("{column} IN ({})", phs.join(", ")));
        }
    }
    /// `(a IN (...) OR b IN (...))`: one of `columns` is one of `values` (nothing matches an
    /// empty list).
    pub fn any_in(&mut self, columns: &[&str], values: &[String]) {
        if values.is_empty() {
            self.clauses.push("1 = 0".into());
            return;
        }
        let mut parts = Vec::with_capacity(columns.len());
        for c in columns {
            let phs: Vec<String> = values.iter().map(|v| self.bind(Bind::Text(v.clone()))).collect();
            parts.push(format!("{c} IN ({})", phs.join(", ")));
        }
        self.clauses.push(format!("({})", parts.join(" OR ")));
    }
    /// These clauses as one, for a subquery: `template` with `{}` replaced by their `WHERE`
    /// part, the binds kept (`"id IN (SELECT id FROM dossier{})"`).
    pub fn nest(self, template: &str) -> Where {
        Where { clauses: vec![template.replace("{}", &self.sql())], binds: self.binds }
    }
    pub fn and_raw(&mut self, clause: String) {
        self.clauses.push(clause);
    }
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

/// Bind every value of a [`Where`] to a query (`query`, `query_as` or `query_scalar`).
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                $crate::rows::Bind::Text(s) => q.bind(s.clone()),
                $crate::rows::Bind::Date(d) => q.bind(*d),
                $crate::rows::Bind::Instant(t) => q.bind(*t),
                $crate::rows::Bind::Int(i) => q.bind(*i),
                $crate::rows::Bind::Uuid(u) => q.bind(*u),
            };
        }
        q
    }};
}
pub(crate) use bind_all;
