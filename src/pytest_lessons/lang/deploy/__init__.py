"""Deployment files: what a container is given (environment, command) and what an image holds.

The layers the UAT-day lessons share, in the shape of `lang/python` and `lang/typescript`:

- `yaml_docs`: YAML documents with line numbers (ruamel.yaml), Go-template placeholders of Helm
  charts blanked out so a chart's templates still read as manifests;
- `workloads`: compose services, Kubernetes containers (and init containers), Helm values and CI
  workflows, as records of the variables they set and the commands they run;
- `dockerfile`: a Dockerfile's stages, working directories, COPY/ADD sources and CMD/ENTRYPOINT
  (dockerfile-parse), and `.dockerignore` matching;
- `shell`: the commands a shell script runs, for an entrypoint that runs alembic.
"""
