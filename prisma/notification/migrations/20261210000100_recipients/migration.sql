-- Who is notified: email address, name and locale as the user service last said (user.registered,
-- user.profile_changed, or asked over gRPC when unknown), so a notice needs no call per event.

CREATE TABLE "recipients" (
    "user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "recipients_pkey" PRIMARY KEY ("user_id")
);
