/**
 * Settings files for a SpotManager checkout on the test host, laid out like the real
 * examples/config/etl_settings.json: `//` comments after values, commented-out entries, tabs,
 * a trailing comma. The bot must edit the budget and leave every other byte alone.
 */

export interface EtlSettingsFixture {
  budget?: string;
  instanceName?: string;
  workQueue?: string;
  logFile?: string;
  maxUtilityPrice?: string;
  minimumUtility?: number;
  setupTimeout?: string;
}

export function etlSettingsText(o: EtlSettingsFixture = {}): string {
  return `{
\t"budget": ${o.budget ?? '1.00'},  //MAXIMUM SPEND PER HOUR FOR ALL INSTANCES
\t"max_utility_price": ${o.maxUtilityPrice ?? '0.03'},   //MOST THAT WILL BE SPENT ON A SINGLE UTILITY POINT
\t"max_new_utility": 30,  //MOST NEW UTILITY THAT WILL BE REQUESTED IN A SINGLE RUN
\t"max_requests_per_type": 10,
\t"price_file": "resources/aws/prices.json",
\t"run_interval": "10minute",
\t"uptime":{
\t\t"history": "day",       //HOW MUCH HISTORY TO USE
\t\t"duration": "5minute",    //HOW LONG WE WOULD LIKE OUR MACHINE TO TO STAY UP
\t\t"bid_percentile": 0.70   //THE PROBABILITY WE ACHIEVE OUR UPTIME
\t},
\t"availability_zone": "us-west-2c",
\t"product":"Linux/UNIX",
\t"aws": {
\t\t"$ref": "//~/private.json#aws_credentials"
\t},
\t"utility":[
\t\t{"instance_type": "c4.large", "cpu": 2, "utility": 1},
\t\t{"instance_type": "c4.xlarge", "cpu": 4, "utility": 4},
\t\t{"instance_type": "c4.2xlarge", "cpu": 8, "utility": 8},
//\t\t{"instance_type": "m1.small", "ecu": 3, "num_drives": 1, "memory": 1.7, "cpu": 1, "utility": 1},  # TOO SMALL
//\t\t{"instance_type": "m1.medium", "ecu": 3, "num_drives": 1, "memory": 3.75, "cpu": 1, "utility": 1},
\t\t{"instance_type": "m3.large", "num_drives": 1, "memory": 7.5, "cpu": 2, "utility": 2},
\t\t{"instance_type": "r3.xlarge", "ecu": 13, "num_drives": 1, "memory": 30.5, "cpu": 4, "utility": 4},

\t],
\t"ec2": {
\t\t"request": {
\t\t\t//SEE http://boto.readthedocs.org/en/latest/ref/ec2.html#boto.ec2.connection.EC2Connection.request_spot_instances
\t\t\t"price": 0.001,
\t\t\t"image_id": "ami-003634241a8fcdec0", //UBUNTU
\t\t\t"count": 1,
\t\t\t"type": "one-time",
\t\t\t"key_name": "activedata",
\t\t\t"network_interfaces": {
\t\t\t\t"subnet_id": "subnet-5750c90d",  // active-data-etl
\t\t\t\t"groups": ["sg-a8c758d6"],   // ActiveData ETL
\t\t\t\t"associate_public_ip_address": true
\t\t\t}
\t\t},
\t\t"instance": {
\t\t\t"name": "${o.instanceName ?? 'ActiveData ETL spot instance'}"
\t\t}
\t},
\t"instance":{
\t\t"class":"examples.etl.ETL",
\t\t"setup_timeout": "${o.setupTimeout ?? '10minute'}",
\t\t"minimum_utility": ${o.minimumUtility ?? 0},   // HOW MUCH UTILITY CAN REMAIN IDLE
\t\t"connect": {
\t\t\t//USED IN Fabric's \`env\` GLOBAL CONFIG OBJECT
\t\t\t"user": "ubuntu",
\t\t\t"key_filename": "~/.ssh/activedata.pem",
\t\t\t"port": 22
\t\t},
\t\t"work_queue": {
\t\t\t"name": "${o.workQueue ?? 'active-data-etl'}",
\t\t\t"$ref": "file://~/private.json#aws_credentials"
\t\t}
\t},
\t"debug": {
\t\t"trace": true,
\t\t"log": [
\t\t\t{
\t\t\t\t"class": "logging.handlers.RotatingFileHandler",
\t\t\t\t"filename": "${o.logFile ?? 'examples/logs/examples_etl.log'}",
\t\t\t\t"maxBytes": 10000000,
\t\t\t\t"backupCount": 10,
\t\t\t\t"encoding": "utf8"
\t\t\t},
\t\t\t{
\t\t\t\t"log_type": "console"
\t\t\t}
\t\t]
\t}
}
`;
}

/** The ES spot manager's settings beside it: its own budget, which the bot must never touch. */
export function esSettingsText(budget = '2.00'): string {
  return `{
\t"budget": ${budget},  //MAXIMUM SPEND PER HOUR FOR ALL ES SPOT NODES
\t"max_utility_price": 0.10,
\t"availability_zone": "us-west-2c",
\t"utility":[
\t\t{"instance_type": "r3.2xlarge", "memory": 61, "cpu": 8, "utility": 8},
\t\t{"instance_type": "i2.2xlarge", "memory": 61, "cpu": 8, "utility": 8}
\t],
\t"ec2": {
\t\t"instance": {
\t\t\t"name": "ActiveData ES spot instance"
\t\t}
\t},
\t"debug": {
\t\t"log": [{"class": "logging.handlers.RotatingFileHandler", "filename": "examples/logs/examples_es.log"}]
\t}
}
`;
}
