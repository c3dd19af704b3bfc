use reqwest::StatusCode;
use shortscience_types::{VenueDetail, VenueKind, VenueList};

use crate::helpers::*;

backend_test! {
    async fn venues_are_listed_by_name_with_counts(app, Options::demo()) {
        let list: VenueList = app.get_json("/api/v1/venues").await;
        let names: Vec<_> = list.items.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["ECCV", "ICCV", "ICLR", "ICML", "NeurIPS"]);
        let iclr = list.items.iter().find(|v| v.slug == "iclr").unwrap();
        assert_eq!((iclr.paper_count, iclr.summary_count, iclr.kind), (1, 2, VenueKind::Conference));
    }
}

backend_test! {
    async fn a_venue_shows_its_years(app, Options::demo()) {
        let venue: VenueDetail = app.get_json("/api/v1/venues/iccv").await;
        assert_eq!(venue.name, "ICCV");
        assert_eq!(venue.paper_count, 1);
        assert_eq!(venue.years.iter().map(|y| (y.year, y.paper_count)).collect::<Vec<_>>(), [(2021, 1)]);
        assert_problem(app.get("/api/v1/venues/nowhere").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}
