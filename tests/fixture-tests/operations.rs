//! Runs inside the generated `operations` fixture crate: operations without operationId or tag
//! get derived names, and parameters of list and object types are encoded by their style.

use fixture_operations::operations::GetReportsByIdsOptions;
use fixture_operations::types::{Filter, FilterStatus, Page};

#[test]
fn derived_names_and_styles_exist_and_compile() {
    // The method names are derived from method and path; their options hold the parameters.
    let mut filter = Filter::new();
    filter.owner = Some("ann".into());
    filter.status = Some(FilterStatus::Open);
    let mut page = Page::new();
    page.size = Some(10);
    let options = GetReportsByIdsOptions::default().filter(filter).page(page).x_trace(vec!["a".into(), "b".into()]);
    assert_eq!(options.x_trace.as_ref().map(Vec::len), Some(2));
}
