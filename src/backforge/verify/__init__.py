"""Verify: run a generated project for real and report what passed.

npm install (shared cache), an ephemeral PostgreSQL from the machine's own
binaries (or --database-url), migrate up / down / up, seed, boot with the
project's start script, the stack's API contract checked against the OpenAPI
document the server serves, graceful shutdown, then the project's own tests.
"""

from backforge.verify.model import CheckResult, StepResult, StepStatus, TestCounts, VerifyReport
from backforge.verify.runner import verify_project

__all__ = ["CheckResult", "StepResult", "StepStatus", "TestCounts", "VerifyReport",
           "verify_project"]
