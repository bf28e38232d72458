//! Settings that shape answers, read once from the environment into typed values.
//!
//! `WARMPATH_TODAY` (YYYY-MM-DD) fixes "now" for reproducible tests and demos;
//! `WARMPATH_HALF_LIFE_DAYS` sets the recency half-life of tie strength;
//! `WARMPATH_STALE_AFTER_DAYS` sets when a first hop is flagged as stale (3 years).

use chrono::NaiveDate;

use crate::strength::StrengthSettings;

/// Validated settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub strength: StrengthSettings,
    /// A first hop last contacted longer ago than this gets a "reconnect" warning.
    pub stale_after_days: i64,
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
    pub const DEFAULT_STALE_AFTER_DAYS: i64 = 3 * 365;

    /// Defaults for a given "today".
    pub fn for_today(today: NaiveDate) -> Settings {
        Settings {
            strength: StrengthSettings::new(today),
            stale_after_days: Self::DEFAULT_STALE_AFTER_DAYS,
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
            settings.stale_after_days = value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|days| *days >= 0)
                .ok_or(SettingError {
                    name: "WARMPATH_STALE_AFTER_DAYS",
                    value,
                    expected: "a whole number of days",
                })?;
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
        assert_eq!(
            settings.stale_after_days,
            Settings::DEFAULT_STALE_AFTER_DAYS
        );
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
