//! Running the `motcua` binary of this build on a data folder.

use std::process::Command;

/// Run `motcua --data-dir DATA ARGS` with extra environment: (success, stdout, stderr).
pub fn cli_env(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("MOTCUA_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("running motcua: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `motcua --data-dir DATA ARGS`.
#[allow(dead_code)] // not every test file uses both
pub fn cli(data: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    cli_env(data, args, &[])
}
