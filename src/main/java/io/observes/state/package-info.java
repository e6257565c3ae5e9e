/**
 * The persisted state of an ETL between runs ({@link io.observes.state.StateStore}) and the lease
 * that keeps two runs of one ETL from working at once ({@link io.observes.state.RunLease}), both
 * single S3 objects changed only by conditional writes.
 *
 * <p>This package sits below {@code pipeline}: it uses {@code storage} and {@code config} only, so
 * that any layer above can keep its state here without the state knowing about it.
 */
package io.observes.state;
