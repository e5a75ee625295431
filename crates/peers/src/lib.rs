//! Reference peers: small servers that answer like the outside systems motcua talks to, so that
//! the demo and the tests run end to end on one machine. They are not mocks of motcua's own
//! code: each validates what it receives by the peer's published rules and keeps what it took.
//!
//! * [`portal`]: the National Public Service Portal's dossier sync (`auth`, `DongBoHoSoMC`).
//! * [`payment`]: a payment gateway sandbox (redirect, signed callback, daily report).
//! * [`population`]: the population database's lookup by personal identification number.

pub mod payment;
pub mod population;
pub mod portal;
