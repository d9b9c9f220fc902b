//! Schedule triggers against a real moto server: the plan makes the rule, the function as its
//! target, and a permission whose source is the rule's ARN; the Triggers list reads them back, a
//! schedule turns off and on, and removing it leaves nothing behind. On the sandbox, an enabled
//! schedule fires when due and its run is logged.

mod common;

use std::path::PathBuf;

use lambdesk_core::events::rules_targeting;
use lambdesk_core::lambda::{function_details, statements_for_source};
use lambdesk_core::ledger::{Ledger, ResourceKind};
use lambdesk_core::local::LocalLambda;
use lambdesk_core::scheduler::{Fired, Scheduler};
use lambdesk_core::triggers::{
    ScheduleDraft, compile_schedule, list_triggers, remove_rule_trigger, set_rule_enabled,
};
use lambdesk_core::{ErrorKind, plan};

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_schedule_is_a_rule_a_target_and_a_scoped_permission_and_goes_without_a_trace() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("schedule");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_hello_world(&ctx, &data).await;
    let function_arn = function_details(&ctx, &name).await.unwrap().arn;
    let rule = common::unique_name("every-minute");
    let draft = ScheduleDraft {
        rule_name: rule.clone(),
        expression: "rate(1 minute)".into(),
        description: String::new(),
    };
    let plan = compile_schedule(&ctx, &name, &draft).await.unwrap();
    assert_eq!(plan.steps.len(), 3);
    let outcome = plan::run(&ctx, &plan, &ledger, &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .iter()
            .any(|entry| entry.kind == ResourceKind::Rule && entry.name == rule),
        "the rule is in the ledger for Clean up"
    );

    let listed = list_triggers(&ctx, &name, None).await.unwrap();
    let trigger = listed
        .rules
        .iter()
        .find(|r| r.name == rule)
        .expect("the rule is listed");
    assert_eq!(
        trigger.schedule_expression.as_deref(),
        Some("rate(1 minute)")
    );
    assert!(trigger.enabled);
    let rule_arn = format!(
        "arn:aws:events:{}:{}:rule/{rule}",
        ctx.region, ctx.account_id
    );
    assert_eq!(trigger.arn, rule_arn);
    assert_eq!(
        statements_for_source(&ctx, &name, &rule_arn).await.unwrap(),
        [format!("lambdesk-{rule}")],
        "the permission is scoped to the rule's ARN"
    );

    set_rule_enabled(&ctx, &name, &rule, false).await.unwrap();
    let listed = list_triggers(&ctx, &name, None).await.unwrap();
    assert!(
        !listed
            .rules
            .iter()
            .find(|r| r.name == rule)
            .unwrap()
            .enabled
    );
    set_rule_enabled(&ctx, &name, &rule, true).await.unwrap();

    // A rule that does not run this function is refused, and nothing is touched.
    let error = remove_rule_trigger(&ctx, &ledger, &name, "some-other-rule")
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);

    remove_rule_trigger(&ctx, &ledger, &name, &rule)
        .await
        .unwrap();
    assert!(
        rules_targeting(&ctx, &function_arn)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        statements_for_source(&ctx, &name, &rule_arn)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !lambdesk_core::events::rule_exists(&ctx, &rule)
            .await
            .unwrap()
    );
    assert!(
        !ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .iter()
            .any(|entry| entry.name == rule),
        "the ledger forgets the removed rule"
    );
}

#[tokio::test]
async fn a_schedule_the_sandbox_would_take_but_aws_refuses_is_stopped_before_any_request() {
    let ctx = common::sandbox_context().await;
    let name = common::unique_name("quiet");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    for (expression, field) in [
        ("rate(1 minutes)", "scheduleExpression"),
        ("rate(0 minutes)", "scheduleExpression"),
        ("cron(0 12 * * * *)", "scheduleExpression"),
        ("cron(bad)", "scheduleExpression"),
    ] {
        let rule = common::unique_name("bad");
        let draft = ScheduleDraft {
            rule_name: rule.clone(),
            expression: expression.into(),
            description: String::new(),
        };
        let error = compile_schedule(&ctx, &name, &draft).await.unwrap_err();
        assert_eq!(error.field.as_deref(), Some(field), "{expression}");
        assert!(
            !lambdesk_core::events::rule_exists(&ctx, &rule)
                .await
                .unwrap()
        );
    }
    let draft = ScheduleDraft {
        rule_name: "has spaces".into(),
        expression: "rate(1 minute)".into(),
        description: String::new(),
    };
    let error = compile_schedule(&ctx, &name, &draft).await.unwrap_err();
    assert_eq!(error.field.as_deref(), Some("ruleName"));
}

#[tokio::test]
async fn on_the_sandbox_an_enabled_schedule_fires_when_due_and_its_run_is_logged() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("fires");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_hello_world(&ctx, &data).await;
    let rule = common::unique_name("tick");
    let draft = ScheduleDraft {
        rule_name: rule.clone(),
        expression: "rate(1 minute)".into(),
        description: String::new(),
    };
    let plan = compile_schedule(&ctx, &name, &draft).await.unwrap();
    assert!(plan::run(&ctx, &plan, &ledger, &|_| {}).await.succeeded);

    let scheduler = Scheduler::default();
    let local = LocalLambda::new(&data);
    let now = 1_800_000_000_000;
    let ours = |fired: Vec<Fired>| {
        fired
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect::<Vec<_>>()
    };
    assert!(
        ours(scheduler.tick(&ctx, &local, now).await.unwrap()).is_empty(),
        "a new schedule waits a minute"
    );
    assert!(ours(scheduler.tick(&ctx, &local, now + 30_000).await.unwrap()).is_empty());
    let fired = ours(scheduler.tick(&ctx, &local, now + 60_000).await.unwrap());
    assert_eq!(
        fired,
        [Fired {
            rule: rule.clone(),
            function: name.clone()
        }]
    );
    assert!(
        ours(scheduler.tick(&ctx, &local, now + 61_000).await.unwrap()).is_empty(),
        "once per minute"
    );

    // The run is asynchronous: its log appears in the function's group, with the scheduled event.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let streams = lambdesk_core::logs::function_streams(&ctx, &name)
            .await
            .unwrap();
        let mut seen = false;
        for stream in &streams.streams {
            let events = lambdesk_core::logs::stream_events(&ctx, &name, &stream.name)
                .await
                .unwrap();
            seen |= events
                .events
                .iter()
                .any(|event| event.message.contains("Scheduled Event"));
        }
        if seen {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled run never logged"
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }

    // A disabled schedule does not fire.
    set_rule_enabled(&ctx, &name, &rule, false).await.unwrap();
    assert!(ours(scheduler.tick(&ctx, &local, now + 180_000).await.unwrap()).is_empty());
}

#[tokio::test]
async fn clean_up_removes_a_schedule_with_its_target_and_permission() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("clean-rule");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_hello_world(&ctx, &data).await;
    let rule = common::unique_name("clean");
    let draft = ScheduleDraft {
        rule_name: rule.clone(),
        expression: "cron(0 12 * * ? *)".into(),
        description: "noon".into(),
    };
    let plan = compile_schedule(&ctx, &name, &draft).await.unwrap();
    assert!(plan::run(&ctx, &plan, &ledger, &|_| {}).await.succeeded);
    let entry = ledger
        .entries(&ctx.account_id, &ctx.region)
        .unwrap()
        .into_iter()
        .find(|entry| entry.kind == ResourceKind::Rule && entry.name == rule)
        .unwrap();
    lambdesk_core::cleanup::clean_up(&ctx, &ledger, &entry.id)
        .await
        .unwrap();
    let rule_arn = format!(
        "arn:aws:events:{}:{}:rule/{rule}",
        ctx.region, ctx.account_id
    );
    assert!(
        !lambdesk_core::events::rule_exists(&ctx, &rule)
            .await
            .unwrap()
    );
    assert!(
        statements_for_source(&ctx, &name, &rule_arn)
            .await
            .unwrap()
            .is_empty()
    );
}
