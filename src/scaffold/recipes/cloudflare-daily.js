// A Worker whose Cron Trigger rebuilds the careers site on Cloudflare Pages
// once a day (@CRON_NOTE@), so postings close on their `valid_through` day
// and open on their `publish_from` day.
// Written by `openings deploy-recipe cloudflare` for openings @VERSION@.
//
// Once: create a deploy hook (Pages project > Settings > Builds > Deploy
// hooks), then from the cloudflare/ folder:
//   npx wrangler secret put DEPLOY_HOOK_URL
//   npx wrangler deploy

export default {
  async scheduled(event, env, ctx) {
    ctx.waitUntil(
      fetch(env.DEPLOY_HOOK_URL, { method: "POST" }).then((answer) => {
        console.log(`deploy hook answered ${answer.status}`);
      }),
    );
  },
};
