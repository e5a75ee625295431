//! `motcua user add|password`: accounts from the command line (passwords on standard input).

use motcua_app::Actor;
use motcua_app::accounts::NewAccount;

use super::{app_err, read_password, with_app};
use crate::cli::UserCmd;
use crate::config::Config;

pub async fn run(cfg: &Config, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Add { username, password_stdin, role, agency, full_name, email } => {
            let password = read_password(password_stdin)?;
            let acc = NewAccount {
                full_name: full_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                agency,
                email,
                password,
            };
            let u = with_app(cfg, |app| async move { app.add_user(&Actor::Cli, acc).await.map_err(app_err) }).await?;
            println!("Đã tạo tài khoản {} ({})", u.username, u.role.as_str());
        }
        UserCmd::Password { username, password_stdin } => {
            let password = read_password(password_stdin)?;
            let name = username.clone();
            with_app(cfg, |app| async move { app.set_password(&Actor::Cli, &name, password).await.map_err(app_err) })
                .await?;
            println!("Đã đặt mật khẩu mới cho {username}");
        }
    }
    Ok(())
}
