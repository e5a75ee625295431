//! `motcua calendar ...` and `motcua import calendar`: legal time from the command line.

use std::path::PathBuf;

use motcua_app::Actor;

use super::{app_err, print_json, read_json, with_app};
use crate::cli::CalendarCmd;
use crate::config::Config;

pub async fn run(cfg: &Config, cmd: CalendarCmd) -> anyhow::Result<()> {
    use motcua_app::calendar::{DueInput, lunar_of, parse_date, solar_of};
    match cmd {
        CalendarCmd::Lunar { date, json } => {
            let l = lunar_of(parse_date(&date, "date").map_err(app_err)?).map_err(app_err)?;
            if json {
                return print_json(&l);
            }
            println!(
                "{} {}: ngày {} tháng {}{} năm {} âm lịch (năm {}, tháng {}, ngày {})",
                l.weekday,
                l.solar.format("%d/%m/%Y"),
                l.day,
                l.month,
                if l.leap { " nhuận" } else { "" },
                l.year,
                l.year_name,
                l.month_name,
                l.day_name
            );
        }
        CalendarCmd::Solar { lunar, leap, json } => {
            let s = solar_of(&lunar, leap).map_err(app_err)?;
            if json {
                return print_json(&s);
            }
            println!("{} {} (âm lịch {} năm {})", s.weekday, s.date.format("%d/%m/%Y"), lunar, s.lunar.year_name);
        }
        CalendarCmd::Holidays { year, json } => {
            let v = with_app(cfg, |app| async move { app.holidays(year).await.map_err(app_err) }).await?;
            if json {
                return print_json(&v.days);
            }
            println!(
                "Năm {year} ({})",
                if v.basis == "official" {
                    "lịch nghỉ đã công bố"
                } else {
                    "mặc định theo Bộ luật Lao động"
                }
            );
            for d in &v.days {
                let src = d.source.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
                println!(
                    "  {} {:<9} {:<14} {}{src}",
                    d.date.format("%d/%m/%Y"),
                    motcua_domain::calendar::holidays::weekday_vi(d.date),
                    d.kind.label_vi(),
                    d.name
                );
            }
        }
        CalendarCmd::Due { from, working_days, working_hours, days, pauses, explain, agency, json } => {
            let q = DueInput { from, working_days, working_hours, days, pauses, explain, agency }
                .parse()
                .map_err(app_err)?;
            let a = with_app(cfg, |app| async move { app.due(&q).await.map_err(app_err) }).await?;
            if json {
                return print_json(&a);
            }
            for s in &a.due.explanation {
                println!("  {}", s.text);
            }
            println!("{}", a.due.due.to_rfc3339());
        }
    }
    Ok(())
}

/// `motcua import calendar FILE`: announced holiday schedules, one year or several.
pub async fn import(cfg: &Config, file: &PathBuf) -> anyhow::Result<()> {
    use motcua_domain::calendar::holidays::YearSchedule;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Input {
        One(YearSchedule),
        Many(Vec<YearSchedule>),
        Wrapped { schedules: Vec<YearSchedule> },
    }
    let years = match read_json::<Input>(file)? {
        Input::One(y) => vec![y],
        Input::Many(v) | Input::Wrapped { schedules: v } => v,
    };
    with_app(cfg, |app| async move {
        for y in years {
            let year = y.year;
            let v = app.put_calendar_year(&Actor::Cli, y).await.map_err(app_err)?;
            println!("Năm {year}: {} ngày đặc biệt", v.days.len());
        }
        Ok(())
    })
    .await
}
