//! The log tails the page follows, by id: a Live Tail session, or a tail that polls
//! FilterLogEvents for what came since its last event. At most a few are kept, so a page that
//! never said stop cannot grow the set.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use lambdesk_core::logs::{FoundEvent, Tail};
use lambdesk_core::{AppError, AwsContext, ErrorKind};

/// More tails than this means an old page left without stopping its own: the oldest goes.
const TAILS_KEPT: usize = 4;

type Held = (String, AwsContext, Arc<tokio::sync::Mutex<Tail>>);

#[derive(Default)]
pub struct Tails {
    held: Mutex<VecDeque<Held>>,
}

impl Tails {
    pub fn start(&self, ctx: AwsContext, tail: Tail) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.push_back((id.clone(), ctx, Arc::new(tokio::sync::Mutex::new(tail))));
        while held.len() > TAILS_KEPT {
            held.pop_front();
        }
        id
    }

    pub async fn poll(&self, id: &str) -> Result<Vec<FoundEvent>, AppError> {
        let found = self
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(held, _, _)| held == id)
            .map(|(_, ctx, tail)| (ctx.clone(), tail.clone()));
        let (ctx, tail) = found.ok_or_else(|| {
            AppError::new(ErrorKind::NotFound, "This log tail has stopped.")
                .with_hint("Turn Follow on again.")
        })?;
        tail.lock().await.poll(&ctx).await
    }

    pub fn stop(&self, id: &str) {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(held, _, _)| held != id);
    }
}
