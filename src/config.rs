//! Settings that shape answers, read once from the environment into typed values.
//!
//! `WARMPATH_TODAY` (YYYY-MM-DD) fixes "now" for reproducible tests and demos;
//! `WARMPATH_HALF_LIFE_DAYS` sets the recency half-life of tie strength;
//! `WARMPATH_STALE_AFTER_DAYS` sets when a first hop is flagged as stale (by default, when
//! it was last contacted more than three calendar years ago).

use chrono::{Months, NaiveDate};

use crate::strength::{StrengthSettings, days_since};

/// Validated settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub strength: StrengthSettings,
    /// A first hop last contacted longer ago than this gets a "reconnect" warning.
    pub stale_after: StaleAfter,
}

/// How long ago a last contact makes a first hop stale: strictly more than this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleAfter {
    /// Calendar years, so a contact exactly three years ago to the day is not stale yet
    /// (3 × 365 days would flag it whenever a leap day lies between).
    Years(u32),
    /// Days, as `WARMPATH_STALE_AFTER_DAYS` gives them.
    Days(i64),
}

/// A setting whose value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}={value:?} is not valid: {expected}")]
pub struct SettingError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl Settings {
    /// DESIGN: a first hop last contacted more than three years ago is stale.
    pub const DEFAULT_STALE_AFTER: StaleAfter = StaleAfter::Years(3);

    /// Defaults for a given "today".
    pub fn for_today(today: NaiveDate) -> Settings {
        Settings {
            strength: StrengthSettings::new(today),
            stale_after: Self::DEFAULT_STALE_AFTER,
        }
    }

    /// Whether a first hop last contacted on `date` is stale: strictly more than
    /// [`Settings::stale_after`] before today.
    pub fn is_stale(&self, date: NaiveDate) -> bool {
        let today = self.strength.today;
        match self.stale_after {
            StaleAfter::Years(years) => today
                .checked_sub_months(Months::new(years.saturating_mul(12)))
                .is_some_and(|cutoff| date < cutoff),
            StaleAfter::Days(days) => days_since(date, today) > days,
        }
    }

    /// Reads the settings from `WARMPATH_*` environment variables over the defaults.
    ///
    /// # Errors
    /// [`SettingError`] naming the variable whose value is not valid.
    pub fn from_env() -> Result<Settings, SettingError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Settings::from_env`], with the variables looked up by `lookup`.
    ///
    /// # Errors
    /// [`SettingError`] naming the variable whose value is not valid.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingError> {
        let today = match lookup("WARMPATH_TODAY").filter(|value| !value.trim().is_empty()) {
            Some(value) => {
                NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| SettingError {
                    name: "WARMPATH_TODAY",
                    value,
                    expected: "a date like 2026-01-31",
                })?
            }
            None => chrono::Local::now().date_naive(),
        };
        let mut settings = Settings::for_today(today);
        if let Some(value) = lookup("WARMPATH_HALF_LIFE_DAYS") {
            settings.strength.half_life_days = value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|days| days.is_finite() && *days > 0.0)
                .ok_or(SettingError {
                    name: "WARMPATH_HALF_LIFE_DAYS",
                    value,
                    expected: "a positive number of days",
                })?;
        }
        if let Some(value) = lookup("WARMPATH_STALE_AFTER_DAYS") {
            let days = value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|days| *days >= 0)
                .ok_or(SettingError {
                    name: "WARMPATH_STALE_AFTER_DAYS",
                    value,
                    expected: "a whole number of days",
                })?;
            settings.stale_after = StaleAfter::Days(days);
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_values_override_the_defaults() {
        let settings = Settings::from_lookup(|name| match name {
            "WARMPATH_TODAY" => Some("2025-01-01".into()),
            "WARMPATH_HALF_LIFE_DAYS" => Some("365".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            settings.strength.today,
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
        );
        assert_eq!(settings.strength.half_life_days, 365.0);
        assert_eq!(settings.stale_after, Settings::DEFAULT_STALE_AFTER);
    }

    #[test]
    fn a_contact_exactly_three_years_ago_is_not_stale_and_one_day_earlier_is() {
        let settings = Settings::for_today(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        // 1,096 days: 2024 has a leap day, so 3 × 365 days would already flag it.
        assert!(!settings.is_stale(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()));
        assert!(settings.is_stale(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()));
        let in_days = Settings {
            stale_after: StaleAfter::Days(1096),
            ..settings
        };
        assert!(!in_days.is_stale(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()));
        assert!(in_days.is_stale(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()));
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let error =
            Settings::from_lookup(|name| (name == "WARMPATH_TODAY").then(|| "yesterday".into()))
                .unwrap_err();
        assert_eq!(error.name, "WARMPATH_TODAY");
        assert!(error.to_string().contains("\"yesterday\""));
    }
}
