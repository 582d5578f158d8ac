from serai.projects.tests.conftest import energy, make_project, roles  # noqa: F401 (fixtures)
