//! The plan steps that publish a function as a REST API: the API, its resources, the method with
//! the Lambda proxy integration, the permission scoped to the API, the deployment to a stage, and
//! an API key with its usage plan. Ids API Gateway assigns pass from step to step through
//! `AssignedId`, and through shell variables in the CLI script.

use std::sync::{Mutex, PoisonError};

use aws_sdk_apigateway::types::{
    ApiStage, EndpointConfiguration, EndpointType, IntegrationType, Op, PatchOperation,
};

use super::{AssignedId, execute_api_arn, integration_uri, resource_arn};
use crate::aws::AwsContext;
use crate::error::gone_is_removed;
use crate::lambda::{self, AddPermission};
use crate::ledger::{LedgerEntry, OWNER_TAG, ResourceKind};
use crate::plan::{Applied, CliTarget, Command, Progress, Revealed, Step, StepFuture};

/// A new REST API, and its root resource's id.
#[derive(Debug)]
pub struct CreateRestApi {
    pub name: String,
    pub api: AssignedId,
    pub root: AssignedId,
    /// The owner tag's value, which tells this API in the ledger and in the account from others
    /// of the same name.
    pub token: String,
}

impl Step for CreateRestApi {
    fn summary(&self) -> String {
        format!("Create the REST API {} (regional).", self.name)
    }

    fn cli(&self, target: &CliTarget) -> String {
        let create = Command::new("apigateway", "create-rest-api")
            .option("name", &self.name)
            .option("endpoint-configuration", "types=REGIONAL")
            .option("tags", &format!("{OWNER_TAG}={}", self.token))
            .capture(&self.api.variable, "id")
            .target(target)
            .render();
        let root = Command::new("apigateway", "get-resources")
            .option_expanding("rest-api-id", &self.api.cli())
            .capture(&self.root.variable, "items[?path==`/`].id")
            .target(target)
            .render();
        format!("{create}\n{root}")
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(
            LedgerEntry::assigned(ResourceKind::RestApi, &self.name, &self.token)
                .tagged(&self.token),
        )
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let made = ctx
                .apigateway()
                .create_rest_api()
                .name(&self.name)
                .endpoint_configuration(
                    EndpointConfiguration::builder()
                        .types(EndpointType::Regional)
                        .build(),
                )
                .tags(OWNER_TAG, &self.token)
                .send()
                .await
                .map_err(ctx.failed(&format!("create REST API {}", self.name)))?;
            let id = made.id().unwrap_or_default().to_owned();
            self.api.set(&id);
            let root = super::resources(ctx, &id)
                .await?
                .into_iter()
                .find(|resource| resource.path() == Some("/"))
                .and_then(|resource| resource.id().map(str::to_owned))
                .unwrap_or_default();
            self.root.set(&root);
            Ok(Applied {
                arn: Some(resource_arn(ctx, "restapis", &id)),
                ..Applied::default()
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(
            async move { gone_is_removed(super::delete_rest_api(ctx, &self.api.get()?).await) },
        )
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(async move {
            let made = super::rest_api_made_by(ctx, &self.name, &self.token).await?;
            Ok(self.api.found(made))
        })
    }
}

/// One segment of the resource path, under its parent.
#[derive(Debug)]
pub struct CreateResource {
    pub api: AssignedId,
    pub parent: AssignedId,
    pub path_part: String,
    pub resource: AssignedId,
}

impl Step for CreateResource {
    fn summary(&self) -> String {
        format!("Add the resource {} to the API.", self.path_part)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "create-resource")
            .option_expanding("rest-api-id", &self.api.cli())
            .option_expanding("parent-id", &self.parent.cli())
            .option("path-part", &self.path_part)
            .capture(&self.resource.variable, "id")
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let made = ctx
                .apigateway()
                .create_resource()
                .rest_api_id(self.api.get()?)
                .parent_id(self.parent.get()?)
                .path_part(&self.path_part)
                .send()
                .await
                .map_err(ctx.failed(&format!("add resource {}", self.path_part)))?;
            self.resource.set(made.id().unwrap_or_default());
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let removed = ctx
                .apigateway()
                .delete_resource()
                .rest_api_id(self.api.get()?)
                .resource_id(self.resource.get()?)
                .send()
                .await
                .map(|_| ())
                .map_err(ctx.failed(&format!("remove resource {}", self.path_part)));
            gone_is_removed(removed)
        })
    }
}

/// The method on the resource, with who may call it.
#[derive(Debug)]
pub struct PutMethod {
    pub api: AssignedId,
    pub resource: AssignedId,
    pub path: String,
    pub method: String,
    /// `NONE` or `AWS_IAM`.
    pub authorization: String,
    pub api_key_required: bool,
}

impl Step for PutMethod {
    fn summary(&self) -> String {
        let who = match (self.authorization.as_str(), self.api_key_required) {
            ("AWS_IAM", _) => "callers signed with AWS credentials (IAM)",
            (_, true) => "callers with an API key",
            _ => "anyone",
        };
        format!(
            "Add the method {} {}, open to {who}.",
            self.method, self.path
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let mut command = Command::new("apigateway", "put-method")
            .option_expanding("rest-api-id", &self.api.cli())
            .option_expanding("resource-id", &self.resource.cli())
            .option("http-method", &self.method)
            .option("authorization-type", &self.authorization);
        if self.api_key_required {
            command = command.flag("api-key-required");
        }
        command.target(target).render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.apigateway()
                .put_method()
                .rest_api_id(self.api.get()?)
                .resource_id(self.resource.get()?)
                .http_method(&self.method)
                .authorization_type(&self.authorization)
                .api_key_required(self.api_key_required)
                .send()
                .await
                .map_err(ctx.failed(&format!("add method {} {}", self.method, self.path)))?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                super::delete_method(ctx, &self.api.get()?, &self.resource.get()?, &self.method)
                    .await,
            )
        })
    }
}

/// The Lambda proxy integration: API Gateway passes the whole request to the function and its
/// answer back as the response.
#[derive(Debug)]
pub struct PutProxyIntegration {
    pub api: AssignedId,
    pub resource: AssignedId,
    pub method: String,
    pub function_arn: String,
}

impl PutProxyIntegration {
    fn uri(&self, region: &str) -> String {
        integration_uri(region, &self.function_arn)
    }
}

impl Step for PutProxyIntegration {
    fn summary(&self) -> String {
        format!(
            "Pass {} requests to the function (Lambda proxy integration).",
            self.method
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "put-integration")
            .option_expanding("rest-api-id", &self.api.cli())
            .option_expanding("resource-id", &self.resource.cli())
            .option("http-method", &self.method)
            .option("type", "AWS_PROXY")
            .option("integration-http-method", "POST")
            .option("uri", &self.uri(&target.region))
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.apigateway()
                .put_integration()
                .rest_api_id(self.api.get()?)
                .resource_id(self.resource.get()?)
                .http_method(&self.method)
                .r#type(IntegrationType::AwsProxy)
                .integration_http_method("POST")
                .uri(self.uri(&ctx.region))
                .send()
                .await
                .map_err(ctx.failed("add the Lambda proxy integration"))?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let removed = ctx
                .apigateway()
                .delete_integration()
                .rest_api_id(self.api.get()?)
                .resource_id(self.resource.get()?)
                .http_method(&self.method)
                .send()
                .await
                .map(|_| ())
                .map_err(ctx.failed("remove the Lambda proxy integration"));
            gone_is_removed(removed)
        })
    }
}

/// Lambda's permission for the API to invoke the function, scoped to this API, method and path.
#[derive(Debug)]
pub struct PermitApi {
    pub function: String,
    pub statement_id: String,
    pub api: AssignedId,
    pub method: String,
    pub path: String,
    pub account_id: String,
}

impl PermitApi {
    fn permission(&self, region: &str, api: &str) -> AddPermission {
        AddPermission {
            function: self.function.clone(),
            statement_id: self.statement_id.clone(),
            principal: "apigateway.amazonaws.com".to_owned(),
            source_arn: execute_api_arn(region, &self.account_id, api, &self.method, &self.path),
        }
    }
}

impl Step for PermitApi {
    fn summary(&self) -> String {
        format!(
            "Let API Gateway invoke {}, only from this API's {} {}.",
            self.function, self.method, self.path
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let permission = self.permission(&target.region, &self.api.cli());
        Command::new("lambda", "add-permission")
            .option("function-name", &permission.function)
            .option("statement-id", &permission.statement_id)
            .option("action", "lambda:InvokeFunction")
            .option("principal", &permission.principal)
            .option_expanding("source-arn", &permission.source_arn)
            .target(target)
            .render()
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let permission = self.permission(&ctx.region, &self.api.get()?);
            permission.apply(ctx, progress).await
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                lambda::remove_permission(ctx, &self.function, &self.statement_id).await,
            )
        })
    }
}

/// A deployment of the API to a stage, which is what makes the method answer at the invoke URL.
/// Undone, a stage that was new goes; one that was there points back at its old deployment.
#[derive(Debug)]
pub struct DeployStage {
    pub api: AssignedId,
    pub stage: String,
    /// The stage's deployment before this step, once it has run: `Some(None)` for a new stage.
    pub replaced: Mutex<Option<Option<String>>>,
    pub deployment: Mutex<Option<String>>,
}

impl DeployStage {
    pub fn new(api: AssignedId, stage: &str) -> Self {
        Self {
            api,
            stage: stage.to_owned(),
            replaced: Mutex::default(),
            deployment: Mutex::default(),
        }
    }
}

impl Step for DeployStage {
    fn summary(&self) -> String {
        format!("Deploy the API to the stage {}.", self.stage)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "create-deployment")
            .option_expanding("rest-api-id", &self.api.cli())
            .option("stage-name", &self.stage)
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let api = self.api.get()?;
            let old = ctx
                .apigateway()
                .get_stage()
                .rest_api_id(&api)
                .stage_name(&self.stage)
                .send()
                .await
                .ok()
                .and_then(|stage| stage.deployment_id().map(str::to_owned));
            let made = ctx
                .apigateway()
                .create_deployment()
                .rest_api_id(&api)
                .stage_name(&self.stage)
                .send()
                .await
                .map_err(ctx.failed(&format!("deploy the API to {}", self.stage)))?;
            *self.replaced.lock().unwrap_or_else(PoisonError::into_inner) = Some(old);
            *self
                .deployment
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = made.id().map(str::to_owned);
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let api = self.api.get()?;
            let replaced = self
                .replaced
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
                .flatten();
            let doing = format!("undo the deployment to {}", self.stage);
            match replaced {
                None => gone_is_removed(
                    ctx.apigateway()
                        .delete_stage()
                        .rest_api_id(&api)
                        .stage_name(&self.stage)
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(ctx.failed(&doing)),
                )?,
                Some(old) => {
                    let back = PatchOperation::builder()
                        .op(Op::Replace)
                        .path("/deploymentId")
                        .value(old)
                        .build();
                    ctx.apigateway()
                        .update_stage()
                        .rest_api_id(&api)
                        .stage_name(&self.stage)
                        .patch_operations(back)
                        .send()
                        .await
                        .map_err(ctx.failed(&doing))?;
                }
            }
            let made = self
                .deployment
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(deployment) = made {
                gone_is_removed(
                    ctx.apigateway()
                        .delete_deployment()
                        .rest_api_id(&api)
                        .deployment_id(deployment)
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(ctx.failed(&doing)),
                )?;
            }
            Ok(())
        })
    }
}

/// An API key, whose value is shown to the user once.
#[derive(Debug)]
pub struct CreateApiKey {
    pub name: String,
    pub key: AssignedId,
    pub token: String,
}

impl Step for CreateApiKey {
    fn summary(&self) -> String {
        format!(
            "Create the API key {}; its value is shown once, when it is made.",
            self.name
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "create-api-key")
            .option("name", &self.name)
            .flag("enabled")
            .option("tags", &format!("{OWNER_TAG}={}", self.token))
            .capture(&self.key.variable, "id")
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(
            LedgerEntry::assigned(ResourceKind::ApiKey, &self.name, &self.token)
                .tagged(&self.token),
        )
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let made = ctx
                .apigateway()
                .create_api_key()
                .name(&self.name)
                .enabled(true)
                .tags(OWNER_TAG, &self.token)
                .send()
                .await
                .map_err(ctx.failed(&format!("create API key {}", self.name)))?;
            let id = made.id().unwrap_or_default();
            self.key.set(id);
            Ok(Applied {
                arn: Some(resource_arn(ctx, "apikeys", id)),
                revealed: made.value().map(|value| Revealed {
                    label: format!("API key {}", self.name),
                    value: value.to_owned(),
                }),
                ..Applied::default()
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move { gone_is_removed(super::delete_api_key(ctx, &self.key.get()?).await) })
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(async move {
            let made = super::api_key_made_by(ctx, &self.name, &self.token).await?;
            Ok(self.key.found(made))
        })
    }
}

/// A usage plan for the API's stage, which is what lets a key call it.
#[derive(Debug)]
pub struct CreateUsagePlan {
    pub name: String,
    pub api: AssignedId,
    pub stage: String,
    pub plan: AssignedId,
    pub token: String,
}

impl Step for CreateUsagePlan {
    fn summary(&self) -> String {
        format!(
            "Create the usage plan {} for the API's stage {}.",
            self.name, self.stage
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "create-usage-plan")
            .option("name", &self.name)
            .option_expanding(
                "api-stages",
                &format!("apiId={},stage={}", self.api.cli(), self.stage),
            )
            .option("tags", &format!("{OWNER_TAG}={}", self.token))
            .capture(&self.plan.variable, "id")
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(
            LedgerEntry::assigned(ResourceKind::UsagePlan, &self.name, &self.token)
                .tagged(&self.token),
        )
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let made = ctx
                .apigateway()
                .create_usage_plan()
                .name(&self.name)
                .api_stages(
                    ApiStage::builder()
                        .api_id(self.api.get()?)
                        .stage(&self.stage)
                        .build(),
                )
                .tags(OWNER_TAG, &self.token)
                .send()
                .await
                .map_err(ctx.failed(&format!("create usage plan {}", self.name)))?;
            let id = made.id().unwrap_or_default();
            self.plan.set(id);
            Ok(Applied {
                arn: Some(resource_arn(ctx, "usageplans", id)),
                ..Applied::default()
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(
            async move { gone_is_removed(super::delete_usage_plan(ctx, &self.plan.get()?).await) },
        )
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(async move {
            let made = super::usage_plan_made_by(ctx, &self.name, &self.token).await?;
            Ok(self.plan.found(made))
        })
    }
}

/// The key in the usage plan.
#[derive(Debug)]
pub struct AddUsagePlanKey {
    pub plan: AssignedId,
    pub key: AssignedId,
}

impl Step for AddUsagePlanKey {
    fn summary(&self) -> String {
        "Put the API key in the usage plan.".to_owned()
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("apigateway", "create-usage-plan-key")
            .option_expanding("usage-plan-id", &self.plan.cli())
            .option_expanding("key-id", &self.key.cli())
            .option("key-type", "API_KEY")
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.apigateway()
                .create_usage_plan_key()
                .usage_plan_id(self.plan.get()?)
                .key_id(self.key.get()?)
                .key_type("API_KEY")
                .send()
                .await
                .map_err(ctx.failed("put the API key in the usage plan"))?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                ctx.apigateway()
                    .delete_usage_plan_key()
                    .usage_plan_id(self.plan.get()?)
                    .key_id(self.key.get()?)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(ctx.failed("take the API key out of the usage plan")),
            )
        })
    }
}
