# The smallest deployment: the module creates the Cognito pool, the server is stateless.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

alarm_email_addresses = ["oncall@example.com"]
