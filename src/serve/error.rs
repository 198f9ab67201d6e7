//! Errors of the HTTP API: a status and a message, sent as `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An API error: the status code and a message for the client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, in the CLI's words.
    pub message: String,
}

impl ApiError {
    /// 400: the request's parameters are wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404: no such article or endpoint.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 503: every search slot stayed busy for too long.
    pub fn busy() -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "the server is busy: try again".to_string(),
        }
    }

    /// 500: a failure of the server or the index, logged on stderr.
    pub fn internal(message: impl Into<String>) -> ApiError {
        let message = message.into();
        eprintln!("newsdex: serve: {message}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
}

impl From<crate::Error> for ApiError {
    fn from(error: crate::Error) -> ApiError {
        match error.category() {
            crate::error::Category::Usage => ApiError::bad_request(error.to_string()),
            crate::error::Category::Fatal => ApiError::internal(error.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        super::json_response(self.status, &serde_json::json!({ "error": self.message }))
    }
}
