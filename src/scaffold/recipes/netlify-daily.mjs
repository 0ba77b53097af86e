// Rebuilds the careers site once a day (@CRON_NOTE@), so postings close on
// their `valid_through` day and open on their `publish_from` day.
// Written by `openings deploy-recipe netlify` for openings @VERSION@.
// Needs OPENINGS_BUILD_HOOK: the URL of a build hook (Build & deploy > Build hooks).

export default async () => {
  const hook = process.env.OPENINGS_BUILD_HOOK;
  if (!hook) {
    console.error("OPENINGS_BUILD_HOOK is not set: the daily rebuild cannot start");
    return new Response("OPENINGS_BUILD_HOOK is not set", { status: 500 });
  }
  const answer = await fetch(hook, { method: "POST" });
  console.log(`build hook answered ${answer.status}`);
  return new Response(null, { status: answer.ok ? 204 : 502 });
};

export const config = { schedule: "@CRON@" };
