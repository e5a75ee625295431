//! The Vietnamese lunisolar calendar: Hồ Ngọc Đức's algorithm at UTC+7 (docs/RULES.md §D9.3).
//!
//! Not the Chinese calendar (UTC+8): the two differ in some years (Tết 1985, 2007, 2030...).
//! The astronomical primitives are ported as published; on top of them a table of every lunar
//! month from late 1899 to 2200 is built once, so that a conversion is a binary search. Range:
//! solar dates 1900-01-01 to 2199-12-31.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::FieldError;

/// Vietnam's time zone, in hours east of UTC.
const TZ: f64 = 7.0;
const PI: f64 = std::f64::consts::PI;
/// Julian day number of 0001-01-01 minus one (chrono counts days from the common era).
const JD_CE_OFFSET: i64 = 1_721_425;

pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// A date of the lunar calendar.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// The month is the leap (intercalary) month of that number.
    pub leap: bool,
}

pub fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JD_CE_OFFSET
}

pub fn from_jdn(jd: i64) -> Option<NaiveDate> {
    i32::try_from(jd - JD_CE_OFFSET).ok().and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Time (Julian day, fractional) of the k-th new moon after 1900-01-01 (Meeus-style series).
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Day (JDN) of the k-th new moon in Vietnam.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TZ / 24.0).floor() as i64
}

/// Sun longitude in radians, normalised to [0, 2π), at Julian day `jdn`.
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// Sector (0..11, 30° each) of the sun at local midnight starting day `jdn`.
fn sun_sector(jdn: i64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - TZ / 24.0) / PI * 6.0).floor() as i64
}

/// First day (JDN) of lunar month 11 of solar year `y` (the month containing the winter solstice).
fn lunar_month11(y: i32) -> i64 {
    let off = jdn(NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default()) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

/// Offset (in months after month 11 starting at `a11`) of the leap month of a 13-month year.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

#[derive(Debug, Clone, Copy)]
struct Month {
    year: i32,
    number: u8,
    leap: bool,
    start: i64,
    len: u8,
}

impl Month {
    fn key(&self) -> (i32, u8, bool) {
        (self.year, self.number, self.leap)
    }
}

/// Every lunar month whose days fall between late 1899 and 2200, in order.
fn months() -> &'static [Month] {
    static TABLE: OnceLock<Vec<Month>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::with_capacity(3800);
        let mut a11_prev = lunar_month11(FIRST_YEAR - 1);
        for y in FIRST_YEAR..=LAST_YEAR + 1 {
            let a11 = lunar_month11(y);
            let k0 = ((a11_prev as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
            let count = ((a11 - a11_prev) as f64 / 29.530_588_853).round() as i64;
            let leap_off = if count == 13 { Some(leap_month_offset(a11_prev)) } else { None };
            for j in 0..count {
                let (n, leap) = match leap_off {
                    Some(lo) if j == lo => (11 + j - 1, true),
                    Some(lo) if j > lo => (11 + j - 1, false),
                    _ => (11 + j, false),
                };
                let number = if n > 12 { n - 12 } else { n };
                // Months 11 and 12 at the start of the span belong to the previous lunar year.
                let year = if number >= 11 && j < 4 { y - 1 } else { y };
                let start = new_moon_day(k0 + j);
                let next = new_moon_day(k0 + j + 1);
                out.push(Month { year, number: number as u8, leap, start, len: (next - start) as u8 });
            }
            a11_prev = a11;
        }
        out
    })
}

fn out_of_range(field: &str) -> FieldError {
    FieldError::new(
        "date_out_of_range",
        field,
        format!("Chỉ hỗ trợ các ngày từ 01/01/{FIRST_YEAR} đến 31/12/{LAST_YEAR}"),
    )
}

fn in_range(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Solar (Gregorian) date → lunar date.
pub fn to_lunar(date: NaiveDate) -> Result<LunarDate, FieldError> {
    if !in_range(date) {
        return Err(out_of_range("date"));
    }
    let jd = jdn(date);
    let table = months();
    let i = table.partition_point(|m| m.start <= jd);
    let m = i.checked_sub(1).and_then(|i| table.get(i)).ok_or_else(|| out_of_range("date"))?;
    Ok(LunarDate { year: m.year, month: m.number, day: (jd - m.start + 1) as u8, leap: m.leap })
}

/// Lunar date → solar date; refuses days a month does not have and leap months a year lacks.
pub fn to_solar(l: LunarDate) -> Result<NaiveDate, FieldError> {
    if !(1..=12).contains(&l.month) {
        return Err(FieldError::new("invalid_lunar_date", "month", "Tháng âm lịch từ 1 đến 12"));
    }
    if !(1..=30).contains(&l.day) {
        return Err(FieldError::new("invalid_lunar_date", "day", "Ngày âm lịch từ 1 đến 30"));
    }
    let table = months();
    let m = table.binary_search_by(|m| m.key().cmp(&(l.year, l.month, l.leap))).ok().map(|i| table[i]).ok_or_else(
        || {
            if l.leap && (FIRST_YEAR - 1..=LAST_YEAR + 1).contains(&l.year) {
                FieldError::new(
                    "invalid_lunar_date",
                    "leap",
                    format!("Năm âm lịch {} không có tháng {} nhuận", l.year, l.month),
                )
            } else {
                out_of_range("year")
            }
        },
    )?;
    if l.day > m.len {
        return Err(FieldError::new(
            "invalid_lunar_date",
            "day",
            format!(
                "Tháng {}{} năm {} âm lịch chỉ có {} ngày",
                l.month,
                if l.leap { " nhuận" } else { "" },
                l.year,
                m.len
            ),
        ));
    }
    let date = from_jdn(m.start + i64::from(l.day) - 1).ok_or_else(|| out_of_range("year"))?;
    if in_range(date) { Ok(date) } else { Err(out_of_range("year")) }
}

/// Length (29 or 30) of a lunar month, if it exists.
pub fn month_length(year: i32, month: u8, leap: bool) -> Option<u8> {
    let t = months();
    t.binary_search_by(|m| m.key().cmp(&(year, month, leap))).ok().map(|i| t[i].len)
}

/// The leap month of a lunar year, if it has one.
pub fn leap_month(year: i32) -> Option<u8> {
    months().iter().find(|m| m.year == year && m.leap).map(|m| m.number)
}

/// Number of months (12 or 13) of a lunar year, when the table covers it whole.
pub fn months_in_year(year: i32) -> usize {
    months().iter().filter(|m| m.year == year).count()
}

const CAN: [&str; 10] = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
const CHI: [&str; 12] = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];

/// Name (can chi) of a lunar year, e.g. 2024 → "Giáp Thìn".
pub fn year_name(year: i32) -> String {
    format!("{} {}", CAN[(year + 6).rem_euclid(10) as usize], CHI[(year + 8).rem_euclid(12) as usize])
}

/// Name of a lunar month (months are named by the year's stem), e.g. month 1 of 2024 → "Bính Dần".
pub fn month_name(year: i32, month: u8) -> String {
    let m = i32::from(month);
    format!("{} {}", CAN[(year * 12 + m + 3).rem_euclid(10) as usize], CHI[(m + 1).rem_euclid(12) as usize])
}

/// Name of a day, e.g. 2024-02-10 → "Giáp Thìn".
pub fn day_name(date: NaiveDate) -> String {
    let jd = jdn(date);
    format!("{} {}", CAN[(jd + 9).rem_euclid(10) as usize], CHI[(jd + 1).rem_euclid(12) as usize])
}

#[cfg(test)]
mod tests;
