//! Queue and stream triggers against a real moto server: each kind of event source mapping (SQS,
//! Kinesis, DynamoDB stream) is picked from the listed sources, made with the policy template its
//! role lacked, read back, turned off and on, and removed; a role without the permissions is
//! refused before any request; and on the sandbox, messages sent to a mapped queue are delivered
//! in a batch to the local Lambda and deleted.

mod common;

use std::path::PathBuf;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    StreamSpecification, StreamViewType,
};
use lambdesk_core::ledger::Ledger;
use lambdesk_core::local::LocalLambda;
use lambdesk_core::queue_delivery;
use lambdesk_core::triggers::{
    MappingDraft, check_mapping_role, compile_mapping, event_sources, list_triggers,
    remove_mapping, set_mapping_enabled,
};
use lambdesk_core::validate::SourceKind;
use lambdesk_core::{AwsContext, plan};

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn queue(ctx: &AwsContext, name: &str) -> (String, String) {
    let sqs = ctx.sqs();
    let url = sqs
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let arn = lambdesk_core::sqs::queue_arns(ctx)
        .await
        .unwrap()
        .into_iter()
        .find(|arn| arn.ends_with(&format!(":{name}")))
        .unwrap();
    (url, arn)
}

async fn kinesis_stream(ctx: &AwsContext, name: &str) -> String {
    let kinesis = ctx.kinesis();
    kinesis
        .create_stream()
        .stream_name(name)
        .shard_count(1)
        .send()
        .await
        .unwrap();
    kinesis
        .describe_stream_summary()
        .stream_name(name)
        .send()
        .await
        .unwrap()
        .stream_description_summary()
        .unwrap()
        .stream_arn()
        .to_owned()
}

async fn table_stream(ctx: &AwsContext, name: &str) -> String {
    let table = aws_sdk_dynamodb::Client::new(ctx.sdk_config())
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    table
        .table_description()
        .unwrap()
        .latest_stream_arn()
        .unwrap()
        .to_owned()
}

fn draft(
    arn: &str,
    batch_size: i32,
    starting_position: Option<&str>,
    add_policy: bool,
) -> MappingDraft {
    MappingDraft {
        event_source_arn: arn.to_owned(),
        batch_size,
        batching_window_seconds: 0,
        starting_position: starting_position.map(str::to_owned),
        add_policy,
    }
}

#[tokio::test]
async fn each_kind_of_mapping_round_trips_with_the_policy_its_role_lacked() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("mappings");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_hello_world(&ctx, &data).await;
    let (_, queue_arn) = queue(&ctx, &common::unique_name("orders")).await;
    let stream_arn = kinesis_stream(&ctx, &common::unique_name("clicks")).await;
    let table_arn = table_stream(&ctx, &common::unique_name("Orders")).await;

    let sources = event_sources(&ctx).await;
    assert!(sources.unavailable.is_empty(), "{:?}", sources.unavailable);
    for (arn, kind) in [
        (&queue_arn, SourceKind::Sqs),
        (&stream_arn, SourceKind::Kinesis),
        (&table_arn, SourceKind::DynamoDbStream),
    ] {
        assert!(
            sources
                .sources
                .iter()
                .any(|source| &source.arn == arn && source.kind == kind),
            "{arn} is offered"
        );
    }

    // The hello world role only logs: the queue needs the SQS poller template, asked for first.
    let check = check_mapping_role(&ctx, &name, &queue_arn).await.unwrap();
    assert!(
        check.missing.contains(&"sqs:ReceiveMessage".to_owned()),
        "{check:?}"
    );
    assert_eq!(
        check.template.as_ref().map(|t| t.id.as_str()),
        Some("sqs-poller")
    );
    let error = compile_mapping(&ctx, &name, &draft(&queue_arn, 10, None, false))
        .await
        .unwrap_err();
    assert_eq!(error.field.as_deref(), Some("addPolicy"), "{error:?}");

    for (arn, batch, position) in [
        (&queue_arn, 10, None),
        (&stream_arn, 100, Some("LATEST")),
        (&table_arn, 50, Some("TRIM_HORIZON")),
    ] {
        let plan = compile_mapping(&ctx, &name, &draft(arn, batch, position, true))
            .await
            .unwrap();
        let outcome = plan::run(&ctx, &plan, &ledger, &|_| {}).await;
        assert!(outcome.succeeded, "{arn}: {:?}", outcome.error);
        let mapping = list_triggers(&ctx, &name, None)
            .await
            .unwrap()
            .mappings
            .into_iter()
            .find(|mapping| &mapping.source_arn == arn)
            .expect("the mapping is listed");
        assert_eq!(mapping.batch_size, Some(batch), "{arn}");
        assert_eq!(mapping.starting_position.as_deref(), position, "{arn}");
        assert!(mapping.enabled(), "{arn}: {}", mapping.state);

        set_mapping_enabled(&ctx, &name, &mapping.uuid, false)
            .await
            .unwrap();
        let listed = list_triggers(&ctx, &name, None).await.unwrap().mappings;
        assert!(
            !listed
                .iter()
                .find(|m| m.uuid == mapping.uuid)
                .unwrap()
                .enabled()
        );
        set_mapping_enabled(&ctx, &name, &mapping.uuid, true)
            .await
            .unwrap();

        remove_mapping(&ctx, &name, &mapping.uuid).await.unwrap();
        let listed = list_triggers(&ctx, &name, None).await.unwrap().mappings;
        assert!(
            listed.iter().all(|m| m.uuid != mapping.uuid),
            "{arn} is gone"
        );
    }
    // The templates were attached by the plans: the role now has what each source needs.
    for arn in [&queue_arn, &stream_arn, &table_arn] {
        assert!(
            check_mapping_role(&ctx, &name, arn)
                .await
                .unwrap()
                .missing
                .is_empty(),
            "{arn}"
        );
    }
    let error = remove_mapping(&ctx, &name, "00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert_eq!(error.kind, lambdesk_core::ErrorKind::NotFound);
}

#[tokio::test]
async fn messages_sent_to_a_mapped_sandbox_queue_reach_the_local_lambda_in_a_batch() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("delivery");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_blueprint(&ctx, &data, "sqs-poller", "poller").await;
    let (url, queue_arn) = queue(&ctx, &common::unique_name("jobs")).await;
    let plan = compile_mapping(&ctx, &name, &draft(&queue_arn, 10, None, true))
        .await
        .unwrap();
    assert!(plan::run(&ctx, &plan, &ledger, &|_| {}).await.succeeded);

    let sqs = ctx.sqs();
    for body in ["one", "two", "three"] {
        sqs.send_message()
            .queue_url(&url)
            .message_body(body)
            .send()
            .await
            .unwrap();
    }
    let local = LocalLambda::new(&data);
    let delivered = queue_delivery::deliver(&ctx, &local).await.unwrap();
    let ours: Vec<_> = delivered
        .iter()
        .filter(|d| d.queue_arn == queue_arn)
        .collect();
    assert_eq!(ours.len(), 1, "{delivered:?}");
    assert_eq!(
        (
            ours[0].messages,
            ours[0].succeeded,
            ours[0].function.as_str()
        ),
        (3, true, name.as_str())
    );
    let left = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert!(left.messages().is_empty(), "the handled batch was deleted");
    local.stop_all().await;
}
