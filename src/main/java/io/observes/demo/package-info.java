/**
 * The demo stack: the production services' local stand-ins in one process ({@link io.observes.demo.DemoStack}:
 * DynamoDB Local, s3proxy, embedded PostgreSQL), a realistic single-table data set
 * ({@link io.observes.demo.DemoData}) and its changes ({@link io.observes.demo.DemoChanges}), and DynamoDB's
 * export API, which DynamoDB Local lacks ({@link io.observes.demo.ExportStandIn}, writing full and incremental
 * exports into s3proxy with {@code ExportFiles}, the incremental ones from the table's stream read by
 * {@code StreamChanges}). {@code observes demo} and the tests run on it.
 *
 * <p>The export stand-in is shaped on AWS's pages (read, not copied); docs/dynamo.md, section "The export
 * stand-in", says in full what it writes, its knobs, and what it cannot imitate:
 * <ul>
 *   <li>DynamoDB table export output format (layout, both manifests, full and incremental data lines):
 *       https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html</li>
 *   <li>Requesting a table export (PITR prerequisite, IAM, bucket policy):
 *       https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html</li>
 *   <li>API reference: ExportTableToPointInTime, DescribeExport / ExportDescription, ExportSummary,
 *       IncrementalExportSpecification:
 *       https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html,
 *       https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeExport.html,
 *       https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportSummary.html,
 *       https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_IncrementalExportSpecification.html</li>
 *   <li>"Introducing incremental export from Amazon DynamoDB to Amazon S3" (windows of 15 minutes to 24 hours,
 *       compacted): https://aws.amazon.com/blogs/database/introducing-incremental-export-from-amazon-dynamodb-to-amazon-s3/</li>
 * </ul>
 */
package io.observes.demo;
