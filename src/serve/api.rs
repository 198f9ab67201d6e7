//! The API handlers: query string -> library request on the blocking pool -> JSON.

use super::params::{self, Params};
use super::{ApiError, AppState, json_response};
use crate::extract::countries;
use crate::search;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Longest article id looked up.
const MAX_ID_CHARS: usize = 1_000;

type Handled = Result<Response, ApiError>;

/// `GET /healthz`: the server is up; the number of articles its reader sees.
pub async fn health(State(state): State<Arc<AppState>>) -> Handled {
    let searcher = state.index.searcher()?;
    Ok(json_response(
        StatusCode::OK,
        &serde_json::json!({ "status": "ok", "articles": searcher.num_docs() }),
    ))
}

/// `GET /api/search`: `newsdex search --json`.
pub async fn search(State(state): State<Arc<AppState>>, uri: Uri) -> Handled {
    let params = Params::parse(uri.query(), &params::SEARCH)?;
    let request = params::search(&params)?;
    let response = state
        .blocking(move |index| Ok(search::search(index, &request)?))
        .await?;
    Ok(json_response(StatusCode::OK, &response))
}

/// `GET /api/timeline`: `newsdex timeline --json`.
pub async fn timeline(State(state): State<Arc<AppState>>, uri: Uri) -> Handled {
    let params = Params::parse(uri.query(), &params::TIMELINE)?;
    let request = params::filters(&params)?;
    let by = params::period(&params)?;
    let timeline = state
        .blocking(move |index| Ok(search::timeline(index, &request, by)?))
        .await?;
    Ok(json_response(StatusCode::OK, &timeline))
}

/// `GET /api/related`: `newsdex related --json`.
pub async fn related(State(state): State<Arc<AppState>>, uri: Uri) -> Handled {
    let params = Params::parse(uri.query(), &params::RELATED)?;
    let request = params::filters(&params)?;
    let limit = params::related_limit(&params)?;
    let related = state
        .blocking(move |index| Ok(search::related(index, &request, limit)?))
        .await?;
    Ok(json_response(StatusCode::OK, &related))
}

/// `GET /api/stats`: `newsdex stats --json`.
pub async fn stats(State(state): State<Arc<AppState>>, uri: Uri) -> Handled {
    Params::parse(uri.query(), &[])?;
    let stats = state
        .blocking(move |index| Ok(search::stats(index, 10)?))
        .await?;
    Ok(json_response(StatusCode::OK, &stats))
}

/// `GET /api/article/{id}`: `newsdex show --json`, plus `country_names` (code -> name)
/// for display.
pub async fn article(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Handled {
    let Path(id) = id.map_err(|_| ApiError::bad_request("the article id is not valid UTF-8"))?;
    if id.chars().count() > MAX_ID_CHARS {
        return Err(ApiError::not_found("no article with that id"));
    }
    let found = state
        .blocking({
            let id = id.clone();
            move |index| Ok(search::find_article(index, &id)?)
        })
        .await?;
    let Some(article) = found else {
        return Err(ApiError::not_found(format!("no article with id {id:?}")));
    };
    let names: BTreeMap<&str, &str> = article
        .countries
        .iter()
        .filter_map(|code| Some((code.as_str(), countries::name(code)?)))
        .collect();
    let mut value = serde_json::to_value(&article)
        .map_err(|error| ApiError::internal(format!("cannot write JSON: {error}")))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("country_names".to_string(), serde_json::json!(names));
    }
    Ok(json_response(StatusCode::OK, &value))
}
