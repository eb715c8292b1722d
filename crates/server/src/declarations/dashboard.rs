//! 首页 — the declarations the user may see, with funds, status, review grade, progress light
//! and score; filters by year, department, unit and status; pages of 50.

use askama::Template;
use axum::extract::State as S;
use jixiao_app::{Dashboard, DashboardFilter, Expected, Message};
use jixiao_model::{Datelike, NaiveDate, Status};

use crate::error::Error;
use crate::extract::{opt, PageUser, Params};
use crate::state::AppState;
use crate::view::{encode, read_date, render, today, Frame, PageResult};

/// Rows per page.
const PER_PAGE: usize = 50;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Page {
    f: Frame,
    d: Dashboard,
    filter: DashboardFilter,
    as_of: NaiveDate,
    statuses: [Status; 4],
}

impl Page {
    fn selected_year(&self, y: &i32) -> bool {
        self.filter.year == Some(*y)
    }

    fn selected_department(&self, d: &str) -> bool {
        self.filter.department.as_deref() == Some(d)
    }

    fn selected_unit(&self, u: &str) -> bool {
        self.filter.unit.as_deref() == Some(u)
    }

    fn selected_status(&self, s: &Status) -> bool {
        self.filter.status == Some(*s)
    }

    /// The address of another page with the same filters.
    fn page_href(&self, page: &usize) -> String {
        let mut q = vec![format!("page={page}")];
        if let Some(y) = self.filter.year {
            q.push(format!("year={y}"));
        }
        if let Some(d) = &self.filter.department {
            q.push(format!("department={}", encode(d)));
        }
        if let Some(u) = &self.filter.unit {
            q.push(format!("unit={}", encode(u)));
        }
        if let Some(s) = self.filter.status {
            q.push(format!("status={}", s.id()));
        }
        q.push(format!("as_of={}", self.as_of));
        format!("/?{}", q.join("&"))
    }

    fn is_page(&self, n: &usize) -> bool {
        *n == self.d.page
    }

    /// The first, the last, and the pages near this one.
    fn page_numbers(&self) -> Vec<usize> {
        let last = self.d.pages();
        let (lo, hi) = (
            self.d.page.saturating_sub(4).max(1),
            (self.d.page + 4).min(last),
        );
        let mut v = vec![1];
        v.extend((lo..=hi).filter(|n| *n != 1 && *n != last));
        if last > 1 {
            v.push(last);
        }
        v
    }

    fn first_row(&self) -> usize {
        if self.d.total == 0 {
            0
        } else {
            (self.d.page - 1) * self.d.per_page + 1
        }
    }

    fn last_row(&self) -> usize {
        (self.first_row() + self.d.rows.len()).saturating_sub(1)
    }
}

fn bad(field: &str, raw: &str, expected: Expected) -> Error {
    Error::from(jixiao_app::AppError::invalid(Message::BadParameter {
        name: field.to_string(),
        value: raw.to_string(),
        expected,
    }))
}

/// `GET /?year=&department=&unit=&status=&page=&as_of=`.
pub async fn page(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    let year = match opt(&q, "year") {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| bad("year", &y, Expected::Year(2024)))?,
        ),
    };
    let status = match opt(&q, "status") {
        None => None,
        Some(s) => Some(Status::from_id(&s).ok_or_else(|| bad("status", &s, Expected::Status))?),
    };
    let page = match opt(&q, "page") {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad("page", &p, Expected::Page))?,
    };
    let as_of = match opt(&q, "as_of") {
        None => today(user.zone),
        Some(d) => read_date("as_of", &d, year.unwrap_or_else(|| today(user.zone).year()))?,
    };
    let filter = DashboardFilter {
        year,
        department: opt(&q, "department"),
        unit: opt(&q, "unit"),
        status,
    };
    let d = state
        .app
        .dashboard(user.actor(), &filter, page, PER_PAGE, as_of)
        .await?;
    render(&Page {
        f: user.frame("home"),
        d,
        filter,
        as_of,
        statuses: [
            Status::Draft,
            Status::Submitted,
            Status::Returned,
            Status::Approved,
        ],
    })
}
