"""The three example specs load, with golden facts about each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backforge.spec import FieldType, LoadedSpec, Project, load, load_project

SPECS = Path(__file__).resolve().parents[1] / "data"  # copies of the shared example specs


@pytest.fixture(scope="module")
def blog() -> LoadedSpec:
    return load(SPECS / "blog.project.json")


def test_blog_is_read_as_design_tool_json(blog):
    assert blog.format == "designtool"
    assert blog.source == str(SPECS / "blog.project.json")
    p = blog.project
    assert p.name == "Blog Platform"
    assert p.database.name == "blog_platform"
    assert [t.name for t in p.tables] == ["authors", "posts", "tags", "post_tags"]


def test_blog_keys(blog):
    p = blog.project
    authors_id = p.table("authors").field("id")
    assert authors_id.primary_key and authors_id.type is FieldType.UUID and authors_id.generated
    tags_id = p.table("tags").field("id")
    assert tags_id.primary_key and tags_id.auto_increment and tags_id.type is FieldType.INTEGER
    post_tags = p.table("post_tags")
    assert [f.name for f in post_tags.fields] == ["id", "postId", "tagId"]
    assert post_tags.fields[0].type is FieldType.BIGINT and post_tags.fields[0].auto_increment
    assert "schema[3] (post_tags) has no primary key: added an 'id' column (bigint, auto " \
        "increment)" in blog.notes


def test_blog_fields_keep_the_users_names(blog):
    posts = blog.project.table("posts")
    author = posts.field("authorId")
    assert author.references == "authors.id" and author.required
    assert blog.names.field("posts", "authorId").sql == "author_id"
    assert blog.names.field("posts", "authorId").prop == "authorId"
    assert blog.project.table("authors").field("name").max_length == 120
    assert posts.field("viewCount").type is FieldType.INTEGER
    assert posts.field("publishedAt").type is FieldType.DATETIME


def test_blog_endpoints(blog):
    p = blog.project
    assert p.options.api_prefix == "/api/v1"
    routes = {(e.method, p.options.api_prefix + e.path): e for e in p.endpoints}
    assert len(p.endpoints) == 3
    assert ("GET", "/api/v1/posts") in routes
    publish = routes[("POST", "/api/v1/posts/{id}/publish")]
    assert publish.table == "posts" and publish.auth and publish.summary == \
        "Publish a draft post now"
    search = routes[("GET", "/api/v1/search")]
    assert search.table is None and not search.auth
    assert p.options.auth and p.options.tests and p.options.docker and not p.options.terraform


def test_taskmanager():
    spec = load(SPECS / "taskmanager.yaml")
    p = spec.project
    assert spec.format == "native" and spec.notes == ()
    assert [t.name for t in p.tables] == ["users", "projects", "tasks", "comments"]
    assert p.options.auth and p.options.terraform
    assert [(e.method, e.path, e.table) for e in p.endpoints] == [
        ("POST", "/tasks/{id}/complete", "tasks"), ("GET", "/projects/{id}/stats", "projects")]
    assert p.table("tasks").field("status").values == ("todo", "in_progress", "done")


def test_shop_composite_key_and_self_reference():
    p = load_project(SPECS / "shop.yaml")
    assert len(p.tables) == 8
    assert [f.name for f in p.table("product_categories").primary_key] == \
        ["product_id", "category_id"]
    parent = p.table("categories").field("parent_id")
    assert parent.references == "categories.id" and parent.on_delete.value == "set_null"


@pytest.mark.parametrize("name", ["taskmanager.yaml", "shop.yaml"])
def test_native_load_equals_plain_model_validation(name):
    # The loader adds checks, not meaning: a clean native spec is the model itself
    # (except that database-filled keys are never required input).
    raw = yaml.safe_load((SPECS / name).read_text())
    assert load(SPECS / name).project == Project.model_validate(raw)


def test_same_spec_from_dict_and_from_json_file(tmp_path):
    raw = json.loads((SPECS / "blog.project.json").read_text())
    copy = tmp_path / "blog.json"
    copy.write_text(json.dumps(raw))
    from_dict = load(raw)
    assert from_dict.source == "<dict>"
    assert from_dict.project == load(copy).project
    assert load(raw, fmt="designtool").project == from_dict.project


def test_native_yaml_as_json_gives_the_same_project(tmp_path):
    raw = yaml.safe_load((SPECS / "shop.yaml").read_text())
    as_json = tmp_path / "shop.json"
    as_json.write_text(json.dumps(raw))
    assert load(as_json).format == "native"
    assert load(as_json).project == load(SPECS / "shop.yaml").project
