//! A network that fails after AWS has acted: a proxy of our own passes requests to the sandbox,
//! lets request k reach it, loses its answer, and stays down until the plan has given up. Tried at
//! every request of every kind of plan, whatever the plan made must be in the ledger (so Clean up
//! lists it), and Clean up must then remove it all, and nothing that was the user's before. The
//! proxy keeps connections open as AWS does, and shows a plan's calls to one service sharing one.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use lambdesk_core::create::{Architecture, CodeSource, FunctionDraft, RoleChoice, Staging, Target};
use lambdesk_core::ledger::Ledger;
use lambdesk_core::package::Sources;
use lambdesk_core::profiles::{SANDBOX_PROFILE_ID, SANDBOX_REGION};
use lambdesk_core::triggers::{
    ApiSecurity, RestApiDraft, ScheduleDraft, compile_rest_api, compile_schedule,
};
use lambdesk_core::{
    AwsContext, apigateway, cleanup, create, events, iam, lambda, plan, runtimes, s3,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Passes HTTP requests to the sandbox one by one, counting them; request `lose_at` reaches the
/// sandbox but its answer is dropped, and every connection after it is cut until `heal`. Like AWS,
/// and unlike the sandbox, it keeps a client's connection open between requests, and counts the
/// connections opened.
struct FaultProxy {
    url: String,
    opened: Arc<AtomicUsize>,
    served: Arc<AtomicUsize>,
    lose_at: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

impl FaultProxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let proxy = Self {
            url,
            opened: Arc::new(AtomicUsize::new(0)),
            served: Arc::new(AtomicUsize::new(0)),
            lose_at: Arc::new(AtomicUsize::new(usize::MAX)),
            down: Arc::new(AtomicBool::new(false)),
        };
        let (opened, served, lose_at, down) = (
            proxy.opened.clone(),
            proxy.served.clone(),
            proxy.lose_at.clone(),
            proxy.down.clone(),
        );
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                opened.fetch_add(1, Ordering::SeqCst);
                let (served, lose_at, down, upstream) = (
                    served.clone(),
                    lose_at.clone(),
                    down.clone(),
                    upstream.clone(),
                );
                tokio::spawn(async move {
                    serve(client, &upstream, &served, &lose_at, &down).await;
                });
            }
        });
        proxy
    }

    /// Counts requests from now on; the `lose_at`-th (from 1) loses its answer.
    fn arm(&self, lose_at: usize) {
        self.served.store(0, Ordering::SeqCst);
        self.lose_at.store(lose_at, Ordering::SeqCst);
        self.down.store(false, Ordering::SeqCst);
    }

    fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }

    fn heal(&self) -> usize {
        self.lose_at.store(usize::MAX, Ordering::SeqCst);
        self.down.store(false, Ordering::SeqCst);
        self.served.load(Ordering::SeqCst)
    }
}

/// One client connection: request after request, each passed on over a new upstream connection.
async fn serve(
    mut client: TcpStream,
    upstream: &str,
    served: &AtomicUsize,
    lose_at: &AtomicUsize,
    down: &AtomicBool,
) {
    loop {
        let Some(request) = read_request(&mut client).await else {
            return;
        };
        if down.load(Ordering::SeqCst) {
            return;
        }
        let number = served.fetch_add(1, Ordering::SeqCst) + 1;
        let Ok(mut sandbox) = TcpStream::connect(upstream).await else {
            return;
        };
        if sandbox.write_all(&request).await.is_err() {
            return;
        }
        let mut answer = Vec::new();
        if sandbox.read_to_end(&mut answer).await.is_err() {
            return;
        }
        if number == lose_at.load(Ordering::SeqCst) {
            down.store(true, Ordering::SeqCst);
            return;
        }
        if client.write_all(&kept_open(&answer)).await.is_err() {
            return;
        }
    }
}

/// The sandbox's answer without its `Connection: close`: the sandbox closes every connection, where
/// AWS keeps it for the client's next request.
fn kept_open(answer: &[u8]) -> Vec<u8> {
    let Some(head_end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return answer.to_vec();
    };
    let mut open = without_connection(&String::from_utf8_lossy(&answer[..head_end])).into_bytes();
    open.extend_from_slice(&answer[head_end..]);
    open
}

/// A message head's lines but its `Connection` header.
fn without_connection(head: &str) -> String {
    let kept: Vec<&str> = head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    kept.join("\r\n")
}

/// Reads one request (headers and a Content-Length body) and asks the sandbox to close the
/// connection after answering, so its answer is read to the end.
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    let head_end = loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = client.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while bytes.len() < head_end + length {
        let read = client.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
    let mut request = format!(
        "{}\r\nConnection: close\r\n\r\n",
        without_connection(head.trim_end())
    )
    .into_bytes();
    request.extend_from_slice(&bytes[head_end..head_end + length]);
    Some(request)
}

/// The kinds of plan a user can make: a new role, or an existing one with the package staged in
/// a new bucket, or in a bucket of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NewRole,
    NewBucket,
    OwnBucket,
}

struct Made {
    function: String,
    role: Option<String>,
    bucket: Option<String>,
    /// The staged package: (bucket, key).
    object: Option<(String, String)>,
}

fn draft_for(kind: Kind, role_arn: &str, own_bucket: &str, source: &str) -> (FunctionDraft, Made) {
    let function = common::unique_name("fault");
    let role = common::unique_name("fault-role");
    let new_bucket = common::unique_name("fault-stage").to_lowercase();
    let mut draft = FunctionDraft {
        name: function.clone(),
        runtime: "python3.13".into(),
        handler: "lambda_function.lambda_handler".into(),
        architecture: Architecture::X86_64,
        description: String::new(),
        code: CodeSource::Blueprint {
            id: "hello-world-python".into(),
        },
        staging: None,
        role: RoleChoice::Existing {
            arn: role_arn.to_owned(),
        },
        memory_mb: 128,
        timeout_seconds: 3,
        ephemeral_mb: 512,
        environment: Vec::new(),
        tags: Vec::new(),
        dead_letter_arn: None,
        subnet_ids: Vec::new(),
        security_group_ids: Vec::new(),
    };
    let key = format!("lambdesk-packages/{function}.zip");
    let mut made = Made {
        function,
        role: None,
        bucket: None,
        object: None,
    };
    match kind {
        Kind::NewRole => {
            draft.role = RoleChoice::New {
                name: role.clone(),
                templates: vec!["s3-read".into()],
                custom_policy: None,
            };
            made.role = Some(role);
        }
        Kind::NewBucket => {
            draft.code = CodeSource::Upload {
                source: source.to_owned(),
            };
            draft.staging = Some(Staging {
                bucket: new_bucket.clone(),
                create: true,
            });
            made.object = Some((new_bucket.clone(), key));
            made.bucket = Some(new_bucket);
        }
        Kind::OwnBucket => {
            draft.code = CodeSource::Upload {
                source: source.to_owned(),
            };
            draft.staging = Some(Staging {
                bucket: own_bucket.to_owned(),
                create: true,
            });
            made.object = Some((own_bucket.to_owned(), key));
        }
    }
    (draft, made)
}

/// What of `made` is in the account now, as ledger ids.
async fn present(ctx: &AwsContext, made: &Made) -> Vec<String> {
    let mut found = Vec::new();
    if lambda::function_exists(ctx, &made.function).await.unwrap() {
        found.push(format!("function:{}", made.function));
    }
    if let Some(role) = &made.role
        && iam::role_exists(ctx, role).await.unwrap()
    {
        found.push(format!("role:{role}"));
    }
    if let Some(bucket) = &made.bucket
        && s3::bucket_owner(ctx, bucket).await.unwrap() == s3::BucketOwner::Us
    {
        found.push(format!("bucket:{bucket}"));
    }
    if let Some((bucket, key)) = &made.object
        && s3::bucket_owner(ctx, bucket).await.unwrap() == s3::BucketOwner::Us
        && s3::object_exists(ctx, bucket, key).await.unwrap()
    {
        found.push(format!("object:{bucket}/{key}"));
    }
    found
}

async fn proxied_context(proxy: &FaultProxy) -> AwsContext {
    lambdesk_core::build_context(
        SANDBOX_PROFILE_ID,
        &common::sandbox_access(&proxy.url),
        SANDBOX_REGION,
    )
    .await
    .unwrap()
}

/// What each test starts from: the sandbox reached directly and through a fault proxy, and a
/// data folder of its own.
struct Faulty {
    direct: AwsContext,
    proxy: FaultProxy,
    ctx: AwsContext,
    data: PathBuf,
}

impl Faulty {
    async fn new(label: &str) -> Self {
        let direct = common::sandbox_context().await;
        let proxy = FaultProxy::start(common::sandbox_url()).await;
        let ctx = proxied_context(&proxy).await;
        let data = std::env::temp_dir().join(common::unique_name(label));
        std::fs::create_dir_all(&data).unwrap();
        Self {
            direct,
            proxy,
            ctx,
            data,
        }
    }

    fn compile(&self, draft: &FunctionDraft, today: &str, sources: &Sources) -> plan::Plan {
        create::compile(
            draft,
            &Target {
                account: &self.ctx.account_id,
                region: &self.ctx.region,
                data_dir: &self.data,
                today,
                sources,
            },
        )
        .unwrap()
    }

    /// Runs the plan in a ledger of its own with the answer of request `lose_at` lost (counting
    /// from 1; `usize::MAX` loses none), and tells how many requests it made.
    async fn run(&self, plan: &plan::Plan, lose_at: usize) -> (Ledger, plan::PlanOutcome, usize) {
        let ledger = Ledger::new(self.data.join(common::unique_name("ledger")));
        self.proxy.arm(lose_at);
        let outcome = plan::run(&self.ctx, plan, &ledger, &|_| {}).await;
        let requests = self.proxy.heal();
        (ledger, outcome, requests)
    }

    /// Has Clean up remove everything the ledger lists, and tells how many entries that was.
    async fn clean_up_listed(&self, ledger: &Ledger, context: &str) -> usize {
        let (account, region) = (&self.direct.account_id, &self.direct.region);
        let listed = ledger.entries(account, region).unwrap();
        for entry in &listed {
            cleanup::clean_up(&self.direct, ledger, &entry.id)
                .await
                .unwrap_or_else(|error| panic!("{context}: clean up {}: {error:?}", entry.id));
        }
        assert!(
            ledger.entries(account, region).unwrap().is_empty(),
            "{context}: Clean up kept an entry"
        );
        listed.len()
    }
}

fn package(dir: &Path) -> PathBuf {
    let zip = dir.join("code.zip");
    std::fs::write(&zip, common::python_package()).unwrap();
    zip
}

/// Against AWS a new connection costs a TLS handshake, so no call may open one of its own: a
/// plan's calls to one service, and the calls after it, share one kept connection.
#[tokio::test]
async fn a_plans_calls_to_one_service_share_one_connection() {
    let faulty = Faulty::new("connections").await;
    let (draft, made) = draft_for(Kind::NewRole, "", "", "");
    let plan = faulty.compile(&draft, &runtimes::today(), &Sources::default());

    let before = faulty.proxy.opened();
    let (ledger, outcome, requests) = faulty.run(&plan, usize::MAX).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert!(
        lambda::function_exists(&faulty.ctx, &made.function)
            .await
            .unwrap()
    );
    let opened = faulty.proxy.opened() - before;
    assert_eq!(
        opened, 2,
        "the plan's {requests} requests and a look opened {opened} connections, not one to IAM \
         and one to Lambda"
    );

    faulty.clean_up_listed(&ledger, "connections").await;
    std::fs::remove_dir_all(&faulty.data).unwrap();
}

#[tokio::test]
async fn a_lost_answer_at_any_request_leaves_nothing_unlisted() {
    let faulty = Faulty::new("faults").await;
    let Faulty {
        direct, ctx, data, ..
    } = &faulty;
    let sources = Sources::default();
    let source = sources.add(package(data));
    let role_arn = common::lambda_role(direct).await;
    let own_bucket = common::unique_name("users-own").to_lowercase();
    s3::create_bucket(direct, &own_bucket).await.unwrap();
    direct
        .s3()
        .put_object()
        .bucket(&own_bucket)
        .key("precious.txt")
        .body(b"the user's own"[..].to_vec().into())
        .send()
        .await
        .unwrap();
    let today = runtimes::today();
    let compile = |draft: &FunctionDraft| faulty.compile(draft, &today, &sources);

    let mut tried = 0;
    for kind in [Kind::NewRole, Kind::NewBucket, Kind::OwnBucket] {
        // A run with no fault counts the plan's requests.
        let (draft, _) = draft_for(kind, &role_arn, &own_bucket, &source);
        let (_, outcome, requests) = faulty.run(&compile(&draft), usize::MAX).await;
        assert!(outcome.succeeded, "{kind:?}: {:?}", outcome.error);
        assert!(requests >= 4, "{kind:?} made {requests} requests");

        for lose_at in 1..=requests {
            let (draft, made) = draft_for(kind, &role_arn, &own_bucket, &source);
            let plan = compile(&draft);
            let (ledger, outcome, _) = faulty.run(&plan, lose_at).await;
            plan.discard();
            tried += 1;
            let context = format!("{kind:?}, answer {lose_at} of {requests} lost");
            assert!(!outcome.succeeded, "{context}: the plan should fail");

            let listed: Vec<String> = ledger
                .entries(&ctx.account_id, &ctx.region)
                .unwrap()
                .into_iter()
                .map(|entry| entry.id)
                .collect();
            for id in present(direct, &made).await {
                assert!(
                    listed.contains(&id),
                    "{context}: {id} is in the account but not listed in Clean up ({listed:?})"
                );
            }
            for entry in outcome.left_behind {
                assert!(
                    listed.contains(&entry.id),
                    "{context}: {} left behind but not listed",
                    entry.id
                );
            }
            faulty.clean_up_listed(&ledger, &context).await;
            assert!(
                present(direct, &made).await.is_empty(),
                "{context}: Clean up left some of it"
            );
            assert_eq!(
                s3::bucket_owner(direct, &own_bucket).await.unwrap(),
                s3::BucketOwner::Us,
                "{context}: the user's own bucket must never be deleted"
            );
            assert!(
                s3::object_exists(direct, &own_bucket, "precious.txt")
                    .await
                    .unwrap(),
                "{context}: the user's own objects must stay"
            );
        }
    }
    assert!(tried >= 15, "only {tried} faults were tried");
    std::fs::remove_dir_all(data).unwrap();
}

/// A plan's role or function named like one the user already has, whose create call's answer is
/// lost: no read tells the runner beforehand that the name is taken, so the ledger may list the
/// name as unconfirmed; Clean up must then find no owner tag of the plan's on the user's own, and
/// forget the entry without deleting it.
#[tokio::test]
async fn a_lost_answer_never_makes_the_users_own_role_or_function_lambdesks() {
    let faulty = Faulty::new("faults-own").await;
    let Faulty { direct, data, .. } = &faulty;
    let sources = Sources::default();
    let role_arn = common::lambda_role(direct).await;
    let users_role = iam::role_name_of(&role_arn).to_owned();
    let users_function = common::unique_name("users-own");
    common::create_functions(direct, std::slice::from_ref(&users_function)).await;
    let today = runtimes::today();

    for taken in ["role", "function"] {
        let (mut draft, _) = draft_for(Kind::NewRole, &role_arn, "", "");
        if taken == "role" {
            draft.role = RoleChoice::New {
                name: users_role.clone(),
                templates: Vec::new(),
                custom_policy: None,
            };
        } else {
            draft.name = users_function.clone();
            draft.role = RoleChoice::Existing {
                arn: role_arn.clone(),
            };
        }
        let compile = || faulty.compile(&draft, &today, &sources);
        let (ledger, outcome, requests) = faulty.run(&compile(), usize::MAX).await;
        let error = outcome.error.expect("the name is taken");
        // The plan recorded the role and the function as it started; neither was made.
        assert_eq!(
            ledger.entries(&direct.account_id, &direct.region).unwrap(),
            [],
            "{taken}: what the plan never made stays listed"
        );
        assert_eq!(
            error.kind,
            lambdesk_core::ErrorKind::Conflict,
            "{taken}: {error:?}"
        );
        assert!(
            error.message.contains("already exists"),
            "{taken}: {}",
            error.message
        );

        let mut left_listed = 0;
        for lose_at in 1..=requests {
            let plan = compile();
            let (ledger, outcome, _) = faulty.run(&plan, lose_at).await;
            plan.discard();
            assert!(!outcome.succeeded, "{taken}, answer {lose_at} lost");
            let context = format!("{taken}, answer {lose_at} lost");
            left_listed += faulty.clean_up_listed(&ledger, &context).await;
            assert!(
                iam::role_exists(direct, &users_role).await.unwrap(),
                "{taken}, answer {lose_at} lost: the user's own role was deleted"
            );
            assert!(
                lambda::function_exists(direct, &users_function)
                    .await
                    .unwrap(),
                "{taken}, answer {lose_at} lost: the user's own function was deleted"
            );
        }
        assert!(
            left_listed > 0,
            "{taken}: no lost answer left the taken name listed"
        );
    }
    std::fs::remove_dir_all(data).unwrap();
}

/// A plan that publishes a function as a new REST API with an API key, losing the answer of each
/// of its requests in turn: Clean up must remove every API, key and usage plan it made, those
/// whose ids the plan never learnt included (found by the plan's owner tag).
#[tokio::test]
async fn a_lost_answer_in_a_rest_api_plan_leaves_nothing_clean_up_cannot_remove() {
    let faulty = Faulty::new("faults-api").await;
    let Faulty { direct, data, .. } = &faulty;
    let function = common::unique_name("fault-api");
    common::create_functions(direct, std::slice::from_ref(&function)).await;
    let draft = RestApiDraft {
        existing_api_id: None,
        new_api_name: common::unique_name("fault-api"),
        resource_path: "/hello".into(),
        method: "GET".into(),
        security: ApiSecurity::ApiKey,
        stage: "dev".into(),
    };
    // The API, its key and its usage plan, as many as there are of each.
    let made = || async {
        let api = apigateway::rest_apis(direct)
            .await
            .unwrap()
            .into_iter()
            .filter(|api| api.name == draft.new_api_name)
            .count();
        let gateway = direct.apigateway();
        let keys = gateway.get_api_keys().send().await.unwrap();
        let key_name = format!("{function}-key");
        let key = keys
            .items()
            .iter()
            .filter(|k| k.name() == Some(&key_name))
            .count();
        let plans = gateway.get_usage_plans().send().await.unwrap();
        let plan_name = format!("{function}-plan");
        let plan = plans
            .items()
            .iter()
            .filter(|p| p.name() == Some(&plan_name))
            .count();
        [api, key, plan]
    };
    let plan = compile_rest_api(direct, &function, &draft).await.unwrap();
    let (ledger, outcome, requests) = faulty.run(&plan, usize::MAX).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert_eq!(made().await, [1, 1, 1]);
    faulty.clean_up_listed(&ledger, "no fault").await;
    assert_eq!(made().await, [0, 0, 0], "Clean up left some of it");

    for lose_at in 1..=requests {
        let context = format!("answer {lose_at} of {requests} lost");
        let plan = compile_rest_api(direct, &function, &draft).await.unwrap();
        let (ledger, outcome, _) = faulty.run(&plan, lose_at).await;
        assert!(!outcome.succeeded, "{context}: the plan should fail");
        faulty.clean_up_listed(&ledger, &context).await;
        assert_eq!(
            made().await,
            [0, 0, 0],
            "{context}: the API, key, plan left"
        );
    }
    let _ = std::fs::remove_dir_all(data);
}

/// A schedule plan, losing the answer of each of its requests in turn, once with a rule name of
/// its own and once with the name of a rule the user already has. The ledger records the rule
/// while the runner looks for one of that name: when the look finds the user's, the record is
/// forgotten, and whatever a lost answer leaves listed, Clean up removes only the rule that
/// carries the plan's owner tag.
#[tokio::test]
async fn a_lost_answer_in_a_schedule_plan_never_takes_the_users_own_rule() {
    let faulty = Faulty::new("faults-rule").await;
    let Faulty { direct, data, .. } = &faulty;
    let function = common::unique_name("fault-rule");
    common::create_functions(direct, std::slice::from_ref(&function)).await;
    let users_rule = common::unique_name("users-own-rule");
    direct
        .eventbridge()
        .put_rule()
        .name(&users_rule)
        .schedule_expression("rate(1 day)")
        .send()
        .await
        .unwrap();
    let (account, region) = (&direct.account_id, &direct.region);

    for taken in [false, true] {
        let draft = ScheduleDraft {
            rule_name: if taken {
                users_rule.clone()
            } else {
                common::unique_name("fault-rule")
            },
            expression: "rate(1 minute)".into(),
            description: String::new(),
        };
        let plan = compile_schedule(direct, &function, &draft).await.unwrap();
        let (ledger, outcome, requests) = faulty.run(&plan, usize::MAX).await;
        if taken {
            let error = outcome.error.expect("the rule's name is taken");
            assert_eq!(error.kind, lambdesk_core::ErrorKind::Conflict, "{error:?}");
            assert!(
                ledger.entries(account, region).unwrap().is_empty(),
                "the user's rule stays listed in Clean up"
            );
        } else {
            assert!(outcome.succeeded, "{:?}", outcome.error);
            faulty.clean_up_listed(&ledger, "no fault").await;
        }

        for lose_at in 1..=requests {
            let context = format!("taken: {taken}, answer {lose_at} of {requests} lost");
            let plan = compile_schedule(direct, &function, &draft).await.unwrap();
            let (ledger, outcome, _) = faulty.run(&plan, lose_at).await;
            assert!(!outcome.succeeded, "{context}: the plan should fail");
            faulty.clean_up_listed(&ledger, &context).await;
            assert!(
                events::rule_exists(direct, &users_rule).await.unwrap(),
                "{context}: the user's own rule was deleted"
            );
            if !taken {
                assert!(
                    !events::rule_exists(direct, &draft.rule_name).await.unwrap(),
                    "{context}: Clean up left the plan's rule"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(data);
}
