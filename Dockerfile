# Observes image: the fat jar on a JRE, run as a non-root user. AWS Batch passes a job's command
# (the observes argv, e.g. `etl dynamo phase1`) as CMD after this ENTRYPOINT.

# --- build: the jar, from source (the catalogue etl-jobs/*.yaml is bundled into it) ---------------
FROM maven:3.8-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY etl-jobs ./etl-jobs
COPY src ./src
RUN mvn -B -DskipTests clean package

# --- run --------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 observes \
    && useradd --system --uid 10001 --gid observes --create-home --home-dir /home/observes \
       --shell /usr/sbin/nologin observes
COPY --from=build /build/target/observes.jar /app/observes.jar
USER 10001:10001
WORKDIR /home/observes
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/observes.jar"]
