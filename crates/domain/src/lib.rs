//! The pure domain of motcua.
//!
//! Policy: no I/O, no clock, no database or web types. Every function that depends on the time
//! takes `now` (or a date) as an argument. Values that enter from outside (codes, usernames,
//! procedure records) are parsed into validated newtypes here, so the layers above never handle
//! an unchecked string where a code is meant.

pub mod admin;
pub mod calendar;
pub mod certified_copy;
pub mod dossier;
pub mod error;
pub mod file;
pub mod ids;
pub mod index;
pub mod notice;
pub mod payment;
pub mod person;
pub mod petition;
pub mod plan;
pub mod portal;
pub mod procedure;
pub mod rating;
pub mod signature;
pub mod text;
pub mod user;
pub mod vault;

pub use error::{DomainError, FieldError};
