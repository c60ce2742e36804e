CREATE TABLE "users" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "email" varchar(255) NOT NULL CONSTRAINT "users_email_key" UNIQUE,
  "display_name" varchar(100) NOT NULL,
  "role" text NOT NULL DEFAULT 'member' CONSTRAINT "users_role_check" CHECK ("role" IN ('member', 'admin')),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
COMMENT ON TABLE "users" IS 'People who sign in and own projects.';

CREATE TABLE "projects" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(120) NOT NULL,
  "description" text,
  "owner_id" uuid NOT NULL CONSTRAINT "projects_owner_id_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
  "archived" boolean NOT NULL DEFAULT FALSE,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "projects_owner_id_idx" ON "projects" ("owner_id");
COMMENT ON TABLE "projects" IS 'A project groups tasks.';

CREATE TABLE "tasks" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "project_id" uuid NOT NULL CONSTRAINT "tasks_project_id_fkey" REFERENCES "projects" ("id") ON DELETE CASCADE,
  "assignee_id" uuid CONSTRAINT "tasks_assignee_id_fkey" REFERENCES "users" ("id") ON DELETE SET NULL,
  "title" varchar(200) NOT NULL,
  "status" text NOT NULL DEFAULT 'todo' CONSTRAINT "tasks_status_check" CHECK ("status" IN ('todo', 'in_progress', 'done')),
  "priority" integer DEFAULT 3 CONSTRAINT "tasks_priority_check" CHECK ("priority" >= 1 AND "priority" <= 5),
  "due_date" date,
  "estimate_hours" numeric(6, 2),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tasks_project_id_idx" ON "tasks" ("project_id");
CREATE INDEX "tasks_assignee_id_idx" ON "tasks" ("assignee_id");
COMMENT ON TABLE "tasks" IS 'A unit of work inside a project.';

CREATE TABLE "comments" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "task_id" uuid NOT NULL CONSTRAINT "comments_task_id_fkey" REFERENCES "tasks" ("id") ON DELETE CASCADE,
  "author_id" uuid NOT NULL CONSTRAINT "comments_author_id_fkey" REFERENCES "users" ("id"),
  "body" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "comments_task_id_idx" ON "comments" ("task_id");
CREATE INDEX "comments_author_id_idx" ON "comments" ("author_id");
COMMENT ON TABLE "comments" IS 'Discussion on a task.';
