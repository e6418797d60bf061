# One image recipe for the three apps: docker build --build-arg APP=Entrance|Box|Publisher .
# docker-compose.yml (operator), deploy/box/ and deploy/publisher/ build from it.

ARG APP=Entrance

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG APP
RUN case "$APP" in Entrance|Box|Publisher) ;; *) echo "APP must be Entrance, Box or Publisher, not '$APP'" >&2; exit 1;; esac
WORKDIR /src
# Restore first from the build settings and project files alone, so a source change
# does not invalidate the restored-packages layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Shared/Dandelion.Shared.csproj Shared/
COPY Entrance/Dandelion.Entrance.csproj Entrance/
COPY Box/Dandelion.Box.csproj Box/
COPY Publisher/Dandelion.Publisher.csproj Publisher/
RUN dotnet restore "$APP/Dandelion.$APP.csproj" -p:PublishAot=false
COPY Shared/ Shared/
COPY ${APP}/ ${APP}/
# Framework-dependent on the aspnet image: not the box's Native AOT build (scripts/publish-box.sh),
# which needs a native toolchain this image lacks and gains nothing where .NET is installed.
RUN dotnet publish "$APP/Dandelion.$APP.csproj" -c Release -o /app --no-restore -p:UseAppHost=false -p:PublishAot=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
ARG APP
ENV DANDELION_APP=${APP}
# Data lives under /data (mount volumes there); it belongs to the image's unprivileged
# user, so a fresh named volume mounted below it is created writable for that user.
RUN mkdir -p /data/entrance /data/box /data/files /data/logs /data/publisher \
    && chown -R "$APP_UID" /data
WORKDIR /data
COPY --from=build /app /app
USER $APP_UID
# The aspnet image has no curl or wget: the app itself asks its /health (Shared/Hosting/HealthProbe.cs).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["/bin/sh", "-c", "exec dotnet \"/app/Dandelion.$DANDELION_APP.dll\" healthcheck"]
# exec: dotnet is PID 1 and gets SIGTERM from docker stop; arguments after the image
# name (or compose's command:) are passed on.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/Dandelion.$DANDELION_APP.dll\" \"$@\"", "dandelion"]
