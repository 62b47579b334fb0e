# A WAF in front of the HTTP API, through CloudFront (WAFv2 cannot attach to an HTTP API).
# The web ACL is CLOUDFRONT-scoped (us-east-1); the certificate lets CloudFront enforce TLS 1.2.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

enable_cloudfront          = true
cloudfront_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
cloudfront_aliases         = ["mcp.example.com"]
waf_acl_arn                = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mcp-edge/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

# CloudFront's origin on your own regional domain: the execute-api URL is then off, so nothing reaches the
# function around CloudFront and its WAF. Point origin.mcp.example.com at the custom_domain_target output.
custom_domain_name = "origin.mcp.example.com"
certificate_arn    = "arn:aws:acm:us-east-1:111122223333:certificate/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0"

# People's MCP clients (Claude, ChatGPT, VS Code, Cursor) sign in at https://mcp.example.com/authorize, through the pool's
# managed login; their client id documents may come from these hosts only. See docs/oauth.md.
enable_people_sign_in = true
client_metadata_hosts = ["claude.ai", "chatgpt.com", "vscode.dev", "code.visualstudio.com"]
