import { fail, str, type WebApiMethod } from './method-kit.js';

/** auth.test, users.info, usergroups.users.list: who the bot is, who a person is, who approves. */
export const peopleMethods: Record<string, WebApiMethod> = {
  'auth.test': (_args, { ws }) => {
    const { teamDomain, teamId, botUserId, botId } = ws.identity;
    return {
      ok: true,
      url: `https://${teamDomain}.slack.com/`,
      team: teamDomain,
      user: 'opsbot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    };
  },

  'users.info': (args, { ws }) => {
    const u = ws.resolveUser(str(args, 'user'));
    if (!u) return fail('user_not_found');
    return {
      ok: true,
      user: {
        id: u.id,
        team_id: ws.identity.teamId,
        name: u.name,
        real_name: u.real_name,
        deleted: false,
        is_bot: u.is_bot,
        is_admin: false,
        is_restricted: u.is_restricted ?? false,
        is_ultra_restricted: u.is_ultra_restricted ?? false,
        tz: u.tz ?? 'UTC',
        profile: { real_name: u.real_name, display_name: u.name, ...(u.email ? { email: u.email } : {}) },
      },
    };
  },

  'usergroups.users.list': (args, { ws }) => {
    const users = ws.usergroups.get(str(args, 'usergroup') ?? '');
    if (!users) return fail('no_such_subteam');
    return { ok: true, users: [...users] };
  },
};
