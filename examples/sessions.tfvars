# MCP sessions for 2025-era clients, bound to the caller's tenant, with per-route throttling.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788", "subnet-0c9d8e7f6a5b4c3d2"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718", "sg-0f1e2d3c4b5a69788"]

image_tag = "0.1.0"

enable_sessions     = true
session_ttl_seconds = 3600
# One app client per tenant; the server sees each tenant as its client's id (output tenant_client_ids).
tenants      = ["acme", "globex"]
tenant_claim = "client_id"

throttling_rate_limit  = 50
throttling_burst_limit = 100
route_throttle_overrides = {
  "POST /mcp"   = { rate_limit = 40, burst_limit = 80 }
  "DELETE /mcp" = { rate_limit = 5, burst_limit = 10 }
}

environment_variables = { LOG_LEVEL = "info" }
alarm_email_addresses = ["oncall@example.com", "security@example.com"]

# The optional alarms on the server's own metrics and the gateway's, and per-tenant metrics (3 per tenant; see docs/observability.md).
tool_error_rate_alarm_percent     = 5
gateway_4xx_alarm_threshold       = 200
session_not_found_alarm_threshold = 50
store_unavailable_alarm_threshold = 1
metrics_tenant_dimension          = true
