//! Which accounts a user may see. Every read of accounts, findings, reports and evidence goes
//! through a [`Scope`]: handlers never see a run's accounts unfiltered (see `data.rs`).

use std::collections::HashSet;

use govmedia_model::results::AccountResult;
use govmedia_store_api::{Role, User};

/// The accounts one user may see.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Admins and evaluators: every account.
    All,
    /// Supervisors: accounts whose region lies within one of these (codes or names).
    Regions(Vec<String>),
    /// Operators: these accounts.
    Accounts(HashSet<String>),
}

impl Scope {
    pub fn of(user: &User) -> Scope {
        match user.role {
            Role::Admin | Role::Evaluator => Scope::All,
            Role::Supervisor => Scope::Regions(user.regions.clone()),
            Role::Operator => Scope::Accounts(user.accounts.iter().cloned().collect()),
        }
    }

    /// Whether the account is visible.
    pub fn covers(&self, account: &AccountResult) -> bool {
        match self {
            Scope::All => true,
            Scope::Regions(regions) => account
                .region
                .as_deref()
                .is_some_and(|r| regions.iter().any(|s| govmedia_score::regions::covers(s, r))),
            Scope::Accounts(ids) => ids.contains(&account.id),
        }
    }

    /// Whether the whole survey is visible (survey report, statistics of every account).
    pub fn is_all(&self) -> bool {
        matches!(self, Scope::All)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, region: Option<&str>) -> AccountResult {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": id, "owner": "某单位", "level": "prefecture", "region": region,
            "score": 80.0, "rank": 1, "passed": true, "vetoes": [], "indicators": {},
            "stats": {}, "findings": []
        }))
        .unwrap()
    }

    #[test]
    fn supervisors_see_their_regions_and_operators_their_accounts() {
        let gz = account("gz", Some("440100"));
        let sz = account("sz", Some("440300"));
        let national = account("mof", None);
        let province = Scope::Regions(vec!["440000".into()]);
        assert!(province.covers(&gz) && province.covers(&sz) && !province.covers(&national));
        let city = Scope::Regions(vec!["广州市".into()]);
        assert!(city.covers(&gz) && !city.covers(&sz));
        let operator = Scope::Accounts(["sz".to_owned()].into());
        assert!(operator.covers(&sz) && !operator.covers(&gz));
        assert!(Scope::All.covers(&national));
    }
}
