"""Terraform files of the express-js stack: HCL2 syntax, terraform fmt, and a
cross-reference check standing in for `terraform validate` (which needs the
AWS provider, unavailable offline)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import hcl2
import pytest

from .conftest import Rendered, require_tool

MODULES = ("vpc", "security", "rds", "ecr", "ecs")
META_ARGS = {"source", "version", "count", "for_each", "depends_on", "providers", "__is_block__"}
EXPECTED = [
    "terraform/main.tf", "terraform/variables.tf", "terraform/outputs.tf",
    "terraform/terraform.tfvars.example", "terraform/README.md", "terraform/deploy.sh",
    "terraform/backend.tf", "terraform/backend.hcl.example",
] + [f"terraform/modules/{m}/{f}.tf" for m in MODULES for f in ("main", "variables", "outputs")]

VAR_REF = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")
LOCAL_REF = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)")
MODULE_REF = re.compile(r"\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)")
RESOURCE_REF = re.compile(r"(?<![\w.\"])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")


def unquote(name: str) -> str:
    return name.strip('"')


@dataclass(frozen=True)
class TfModule:
    """Declarations and references of one Terraform module folder."""

    code: str  # all .tf text with comment lines removed
    variables: dict[str, dict]
    outputs: set[str]
    locals: set[str]
    resources: set[tuple[str, str]]  # ("aws_vpc", "this") or ("data.aws_region", "current")
    modules: dict[str, dict]

    @classmethod
    def load(cls, folder: Path) -> TfModule:
        docs = [hcl2.loads(p.read_text()) for p in sorted(folder.glob("*.tf"))]
        code = "\n".join(
            line for p in sorted(folder.glob("*.tf")) for line in p.read_text().splitlines()
            if not line.lstrip().startswith("#")
        )

        def blocks(kind: str) -> list[dict]:
            return [block for doc in docs for block in doc.get(kind, [])]

        resources = {(unquote(t), unquote(n)) for b in blocks("resource") for t, v in b.items()
                     for n in v}
        resources |= {("data." + unquote(t), unquote(n)) for b in blocks("data")
                      for t, v in b.items() for n in v}
        return cls(
            code=code,
            variables={unquote(k): v for b in blocks("variable") for k, v in b.items()},
            outputs={unquote(k) for b in blocks("output") for k in b},
            locals={k for b in blocks("locals") for k in b if k != "__is_block__"},
            resources=resources,
            modules={unquote(k): v for b in blocks("module") for k, v in b.items()},
        )


def tf_root(rendered: Rendered) -> Path:
    return rendered.root / "terraform"


def test_all_terraform_files_are_rendered(rendered: Rendered):
    assert sorted(p for p in rendered.files if p.startswith("terraform/")) == sorted(EXPECTED)


def test_every_tf_file_parses_as_hcl2(rendered: Rendered):
    files = sorted(tf_root(rendered).rglob("*.tf"))
    assert len(files) == 4 + 3 * len(MODULES)
    for path in files:
        assert isinstance(hcl2.loads(path.read_text()), dict), path


def test_tfvars_example_parses_and_sets_only_declared_variables(rendered: Rendered):
    doc = hcl2.loads(rendered.text("terraform/terraform.tfvars.example"))
    values = {k for k in doc if not k.startswith("__")}  # the parser's own metadata keys
    declared = TfModule.load(tf_root(rendered)).variables
    assert values and values <= set(declared)


def test_terraform_fmt_check_passes(rendered: Rendered, tmp_path: Path):
    terraform = require_tool("terraform")
    root = tf_root(rendered)
    result = subprocess.run([terraform, "fmt", "-check", "-recursive", "-diff", str(root)],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # fmt ignores *.example, so check the tfvars under its real name too.
    for example, name in (("terraform.tfvars.example", "terraform.tfvars"),
                          ("backend.hcl.example", "backend.tfvars")):
        copy = tmp_path / name
        shutil.copy(root / example, copy)
        result = subprocess.run([terraform, "fmt", "-check", "-diff", str(copy)],
                                check=False, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("folder", ("", *(f"modules/{m}" for m in MODULES)))
def test_variables_locals_and_resources_resolve(rendered: Rendered, folder: str):
    module = TfModule.load(tf_root(rendered) / folder)
    used_vars = set(VAR_REF.findall(module.code))
    assert used_vars <= set(module.variables), f"undeclared: {used_vars - set(module.variables)}"
    assert set(module.variables) <= used_vars, f"unused: {set(module.variables) - used_vars}"
    used_locals = set(LOCAL_REF.findall(module.code))
    assert used_locals <= module.locals, f"undefined locals: {used_locals - module.locals}"
    refs = {((d or "") + t, n) for d, t, n in RESOURCE_REF.findall(module.code)}
    assert refs <= module.resources, f"unknown resources: {refs - module.resources}"


def test_module_wiring_matches_declarations(rendered: Rendered):
    root_dir = tf_root(rendered)
    root = TfModule.load(root_dir)
    assert set(root.modules) == set(MODULES)
    children = {name: TfModule.load(root_dir / "modules" / name) for name in MODULES}
    for name, block in root.modules.items():
        assert unquote(block["source"]) == f"./modules/{name}"
        child = children[name]
        passed = set(block) - META_ARGS
        assert passed <= set(child.variables), f"{name}: undeclared inputs {passed - set(child.variables)}"
        required = {v for v, spec in child.variables.items() if "default" not in spec}
        assert required <= passed, f"{name}: missing inputs {required - passed}"
    for module_name, output in MODULE_REF.findall(root.code):
        assert output in children[module_name].outputs, f"module.{module_name}.{output}"


def test_provider_and_versions_are_pinned(rendered: Rendered):
    doc = hcl2.loads(rendered.text("terraform/main.tf"))
    settings = doc["terraform"][0]
    assert unquote(settings["required_version"]) == ">= 1.10"
    aws = settings["required_providers"][0]["aws"]
    assert unquote(aws["source"]) == "hashicorp/aws"
    assert unquote(aws["version"]) == "~> 6.0"


def test_app_settings_follow_env_vars(rendered: Rendered):
    env_vars = rendered.context["env_vars"]
    doc = hcl2.loads(rendered.text("terraform/variables.tf"))
    variables = {unquote(k): v for b in doc["variable"] for k, v in b.items()}
    default = {unquote(k): unquote(v) for k, v in variables["app_environment"]["default"].items()}
    plain = {ev[0] for ev in env_vars if not ev[2]} - {"PORT", "NODE_ENV", "HOST",
                                                       "DATABASE_CA_FILE"}
    assert set(default) == plain
    assert unquote(variables["app_name"]["default"]) == rendered.context["app"]
    assert unquote(variables["db_name"]["default"]) == rendered.context["db_name"]
    assert variables["container_port"]["default"] == rendered.context["port"]
    main = hcl2.loads(rendered.text("terraform/main.tf"))
    names = main["locals"][0]["app_secret_names"]
    assert names == [f'"{ev[0]}"' for ev in env_vars if ev[2] and ev[0] != "DATABASE_URL"]


def test_database_tls_is_on_for_rds(rendered: Rendered):
    names = {ev[0] for ev in rendered.context["env_vars"]}
    doc = hcl2.loads(rendered.text("terraform/variables.tf"))
    variables = {unquote(k): v for b in doc["variable"] for k, v in b.items()}
    sslmode = unquote(variables["db_sslmode"]["default"])
    if "DATABASE_SSL" in names:
        # The app configures TLS itself; a URL sslmode would silently override it.
        assert sslmode == ""
        assert unquote(variables["app_environment"]["default"]['"DATABASE_SSL"']) == "verify-full"
        tfvars = hcl2.loads(rendered.text("terraform/terraform.tfvars.example"))
        assert unquote(tfvars["app_environment"]['"DATABASE_SSL"']) == "verify-full"
    else:
        assert sslmode == "no-verify"


def test_rds_keeps_the_password_out_of_terraform(rendered: Rendered):
    rds = hcl2.loads(rendered.text("terraform/modules/rds/main.tf"))
    instance = next(b['"aws_db_instance"']['"this"'] for b in rds["resource"]
                    if '"aws_db_instance"' in b)
    assert instance["manage_master_user_password"] is True
    assert instance["storage_encrypted"] is True
    assert unquote(instance["engine"]) == "postgres"
    assert "password" not in instance
    for rel in ("terraform/variables.tf", "terraform/terraform.tfvars.example"):
        assert "db_password" not in rendered.text(rel)


def test_load_balancer_checks_health_endpoint(rendered: Rendered):
    ecs = rendered.text("terraform/modules/ecs/main.tf")
    doc = hcl2.loads(ecs)
    groups = [b['"aws_lb_target_group"'] for b in doc["resource"] if '"aws_lb_target_group"' in b]
    health = groups[0]['"app"']["health_check"][0]
    assert unquote(health["path"]) == "/health"
    assert unquote(health["matcher"]) == "200"


def test_database_only_reachable_from_app(rendered: Rendered):
    doc = hcl2.loads(rendered.text("terraform/modules/security/main.tf"))
    rules = [(t, n, v) for b in doc["resource"] for t, named in b.items() for n, v in named.items()
             if unquote(t) == "aws_vpc_security_group_ingress_rule"]
    db_rules = [v for _t, _n, v in rules if "aws_security_group.db.id" in v["security_group_id"]]
    assert len(db_rules) == 1
    assert db_rules[0]["from_port"] == 5432 == db_rules[0]["to_port"]
    assert "aws_security_group.app.id" in db_rules[0]["referenced_security_group_id"]
    assert "cidr_ipv4" not in db_rules[0]


def test_deploy_script_is_valid_bash(rendered: Rendered):
    script = tf_root(rendered) / "deploy.sh"
    text = rendered.text("terraform/deploy.sh")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    subprocess.run(["bash", "-n", str(script)], check=True)


def test_deploy_script_passes_shellcheck(rendered: Rendered):
    shellcheck = require_tool("shellcheck")
    result = subprocess.run([shellcheck, "-s", "bash", str(tf_root(rendered) / "deploy.sh")],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_deploy_script_reads_only_existing_outputs(rendered: Rendered):
    outputs = TfModule.load(tf_root(rendered)).outputs
    used = set(re.findall(r"terraform output -raw ([a-z_]+)", rendered.text("terraform/deploy.sh")))
    assert used and used <= outputs, used - outputs
    targets = re.findall(r"-target=(module\.[a-z_.]+)", rendered.text("terraform/deploy.sh"))
    assert targets == ["module.ecr", "module.ecs.aws_secretsmanager_secret.app"]


def test_deploy_script_fails_fast_without_tools(rendered: Rendered, tmp_path: Path):
    # A PATH holding only dirname: none of aws/docker/terraform can be found.
    (tmp_path / "dirname").symlink_to(shutil.which("dirname"))
    bash = shutil.which("bash")
    result = subprocess.run([bash, str(tf_root(rendered) / "deploy.sh")], check=False,
                            capture_output=True, text=True, env={"PATH": str(tmp_path)},
                            timeout=30)
    assert result.returncode == 1
    assert "'aws' is required" in result.stderr


# Stand-ins for the AWS CLI, Docker and Terraform: the real services cannot be
# reached here, so these log each call and answer like the real tools would,
# which lets the script's actual control flow run end to end in bash.
STUB = r"""#!/bin/sh
tool="$(basename "$0")"
printf '%s %s\n' "$tool" "$*" >>"$STUB_LOG"
case "$tool $*" in
  "terraform output -raw aws_region") printf 'eu-west-1' ;;
  "terraform output -raw app_secret_arns") printf '%s' "$STUB_SECRETS" ;;
  "terraform output -raw ecr_repository_url") printf '123.dkr.ecr.eu-west-1.amazonaws.com/tm' ;;
  "terraform output -raw image_platform") printf 'linux/amd64' ;;
  "terraform output -raw ecs_cluster_name") printf 'tm-cluster' ;;
  "terraform output -raw ecs_service_name") printf 'tm-service' ;;
  "terraform output -raw log_group_name") printf '/ecs/tm' ;;
  "terraform output -raw app_url") printf 'http://tm.example' ;;
  "aws secretsmanager list-secret-version-ids"*) printf '%s\n' "$STUB_VERSIONS" ;;
  "aws ecr get-login-password"*) printf 'token\n' ;;
  "aws secretsmanager put-secret-value"*)
    for arg in "$@"; do
      case "$arg" in file://*) printf 'value=%s\n' "$(cat "${arg#file://}")" >>"$STUB_LOG" ;; esac
    done ;;
  "docker login"*) cat >/dev/null ;;
esac
"""


def run_deploy(rendered: Rendered, tmp_path: Path, secrets: str, versions: str):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("aws", "docker", "terraform"):
        (bin_dir / tool).write_text(STUB)
        (bin_dir / tool).chmod(0o755)
    log = tmp_path / "calls.log"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "STUB_LOG": str(log), "STUB_SECRETS": secrets,
           "STUB_VERSIONS": versions, "IMAGE_TAG": "v1", "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(tf_root(rendered) / "deploy.sh"), "--yes"], check=False,
                            capture_output=True, text=True, env=env, timeout=60)
    return result, log.read_text().splitlines()


def test_deploy_script_runs_the_release_steps_in_order(rendered: Rendered, tmp_path: Path):
    arn = "arn:aws:secretsmanager:eu-west-1:1:secret:tm/JWT_SECRET-abc"
    result, calls = run_deploy(rendered, tmp_path, arn, "0")
    assert result.returncode == 0, result.stderr
    image = "123.dkr.ecr.eu-west-1.amazonaws.com/tm:v1"
    value_file = next(c.split()[-1] for c in calls if "put-secret-value" in c)
    assert value_file.startswith("file://")
    secrets = f"aws secretsmanager {{}} --region eu-west-1 --secret-id {arn}"
    ecs = "--region eu-west-1 --cluster tm-cluster"
    apply = "terraform apply -input=false -var image_tag=v1 -auto-approve"
    steps = [c for c in calls if not c.startswith(("terraform output", "value="))]
    # The ECR login is a pipe: its two sides start in either order.
    steps[6:8] = sorted(steps[6:8])
    assert steps == [
        "aws sts get-caller-identity",
        "docker info",
        "terraform init -input=false",
        f"{apply} -target=module.ecr -target=module.ecs.aws_secretsmanager_secret.app",
        secrets.format("list-secret-version-ids") + " --query length(Versions) --output text",
        secrets.format("put-secret-value") + f" --secret-string {value_file}",
        "aws ecr get-login-password --region eu-west-1",
        "docker login --username AWS --password-stdin 123.dkr.ecr.eu-west-1.amazonaws.com",
        f"docker build --platform linux/amd64 --tag {image} {rendered.root}",
        f"docker push {image}",
        apply,
        f"aws ecs update-service {ecs} --service tm-service --force-new-deployment",
        f"aws ecs wait services-stable {ecs} --services tm-service",
    ]
    value = next(c for c in calls if c.startswith("value="))[len("value="):]
    assert re.fullmatch(r"[0-9a-f]{64}", value), "a 256-bit random secret"
    assert "http://tm.example/health" in result.stderr
    assert not list(tmp_path.glob("tmp*")), "the secret value file must be removed"


def test_deploy_script_keeps_existing_secret_values(rendered: Rendered, tmp_path: Path):
    arn = "arn:aws:secretsmanager:eu-west-1:1:secret:tm/JWT_SECRET-abc"
    result, calls = run_deploy(rendered, tmp_path, arn, "1")
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls if "put-secret-value" in c]
    assert any(c.startswith("docker push") for c in calls)


def test_deploy_script_without_app_secrets(rendered: Rendered, tmp_path: Path):
    result, calls = run_deploy(rendered, tmp_path, "", "0")
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls if c.startswith("aws secretsmanager")]


# ---------------------------------------------------------------- production settings (issue 14)


def _variables(rendered: Rendered) -> dict[str, dict]:
    return TfModule.load(tf_root(rendered)).variables


def _resources(doc: dict, kind: str) -> dict[str, dict]:
    return {unquote(n): v for b in doc.get("resource", []) for t, named in b.items()
            if unquote(t) == kind for n, v in named.items()}


def test_state_backend_is_partial_s3_with_an_example(rendered: Rendered):
    backend = hcl2.loads(rendered.text("terraform/backend.tf"))["terraform"][0]["backend"][0]
    # Partial: the block is empty, every setting comes from backend.hcl.
    assert set(backend) == {'"s3"'}
    assert {k for k in backend['"s3"'] if not k.startswith("__")} == set()
    example = hcl2.loads(rendered.text("terraform/backend.hcl.example"))
    assert unquote(example["key"]) == f"{rendered.context['app']}/terraform.tfstate"
    assert example["encrypt"] is True and example["use_lockfile"] is True
    assert "dynamodb_table" in rendered.text("terraform/backend.hcl.example")
    assert "backend \"s3\"" not in rendered.text("terraform/main.tf")
    deploy = rendered.text("terraform/deploy.sh")
    assert "-backend-config=backend.hcl" in deploy


def test_database_is_multi_az_by_default(rendered: Rendered):
    assert _variables(rendered)["db_multi_az"]["default"] is True
    tfvars = hcl2.loads(rendered.text("terraform/terraform.tfvars.example"))
    assert tfvars["db_multi_az"] is True
    rds = _resources(hcl2.loads(rendered.text("terraform/modules/rds/main.tf")), "aws_db_instance")
    assert rds["this"]["multi_az"] == "${var.multi_az}"


def test_ecs_service_autoscales_on_cpu(rendered: Rendered):
    variables = _variables(rendered)
    assert (variables["autoscaling_min_capacity"]["default"],
            variables["autoscaling_max_capacity"]["default"],
            variables["autoscaling_cpu_target"]["default"]) == (2, 6, 60)
    main = TfModule.load(tf_root(rendered)).modules["ecs"]
    assert main["min_capacity"] == "${var.autoscaling_min_capacity}"
    assert main["max_capacity"] == "${var.autoscaling_max_capacity}"
    assert main["cpu_target"] == "${var.autoscaling_cpu_target}"
    doc = hcl2.loads(rendered.text("terraform/modules/ecs/main.tf"))
    target = _resources(doc, "aws_appautoscaling_target")["app"]
    assert unquote(target["scalable_dimension"]) == "ecs:service:DesiredCount"
    assert target["min_capacity"] == "${var.min_capacity}"
    policy = _resources(doc, "aws_appautoscaling_policy")["cpu"]
    assert unquote(policy["policy_type"]) == "TargetTrackingScaling"
    tracking = policy["target_tracking_scaling_policy_configuration"][0]
    assert tracking["target_value"] == "${var.cpu_target}"
    metric = tracking["predefined_metric_specification"][0]["predefined_metric_type"]
    assert unquote(metric) == "ECSServiceAverageCPUUtilization"
    service = _resources(doc, "aws_ecs_service")["app"]
    assert service["lifecycle"][0]["ignore_changes"] == ["desired_count"]


def test_https_redirects_and_plain_http_warns(rendered: Rendered):
    doc = hcl2.loads(rendered.text("terraform/modules/ecs/main.tf"))
    listeners = _resources(doc, "aws_lb_listener")
    assert listeners["https"]["port"] == 443 and unquote(listeners["https"]["protocol"]) == "HTTPS"
    assert "TLS13" in listeners["https"]["ssl_policy"]
    http = listeners["http"]["default_action"][0]
    assert http["type"] == '${local.https ? "redirect" : "forward"}'
    redirect = http["dynamic"][0]['"redirect"']
    assert redirect["for_each"] == "${local.https ? [1] : []}"
    assert unquote(redirect["content"][0]["status_code"]) == "HTTP_301"
    assert unquote(redirect["content"][0]["protocol"]) == "HTTPS"
    assert "try(length(var.certificate_arn) > 0, false)" in rendered.text(
        "terraform/modules/ecs/main.tf")
    # The ALB idles out before the app's keep-alive (65 s): no 502 on reuse.
    assert _resources(doc, "aws_lb")["this"]["idle_timeout"] == 60
    main = hcl2.loads(rendered.text("terraform/main.tf"))
    check = main["check"][0]['"https"']
    assert "certificate_arn" in check["assert"][0]["condition"]
    assert "plain HTTP" in rendered.text("terraform/README.md")


def test_provider_6_attribute_names(rendered: Rendered):
    ecs = rendered.text("terraform/modules/ecs/main.tf")
    # The AWS provider 6 deprecates aws_region's `name` for `region`.
    assert "data.aws_region.current.region" in ecs
    assert "data.aws_region.current.name" not in ecs


def test_app_runs_with_production_settings_on_aws(rendered: Rendered):
    names = {ev[0] for ev in rendered.context["env_vars"]}
    default = {unquote(k): unquote(v) for k, v in
               _variables(rendered)["app_environment"]["default"].items()}
    expected = {"CORS_ORIGINS": "", "DOCS_ENABLED": "false", "TRUST_PROXY": "1",
                "DATABASE_SSL": "verify-full"}
    for name, value in expected.items():
        if name in names:
            assert default[name] == value, name
    assert "HOST" not in default and "DATABASE_CA_FILE" not in default
