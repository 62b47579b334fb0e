# The REST API front with a regional WAF on its stage (no CloudFront needed), sessions on.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

api_type        = "REST"
waf_acl_arn     = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/mcp-api/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
enable_sessions = true
# The REST authorizer checks no app client; the server allows only these tenants' clients.
tenants = ["acme", "globex", "initech"]

route_throttle_overrides = {
  "POST /mcp" = { rate_limit = 40, burst_limit = 80 }
}

# People's MCP clients sign in too, each acting for the tenant whose group (tenant-acme, ...) an administrator put them in;
# clients without a client id document (Cursor) may register themselves. See docs/oauth.md.
enable_people_sign_in              = true
enable_dynamic_client_registration = true
