// Filerobot's widget, its own modules, driven from a page (bundled by esbuild at test time).
//
// Every request below is built and sent by the widget's code: core's Filerobot (its
// constructor asks GET {api}/{container}/v4/key/info?key=<sassKey>), the share-folder dialog's
// adaptDataBeforeSave and the share panel's createSharedAssets thunk (POST …/v5/shares), and
// the sharebox slice's fetchShareboxFilesAndFolders (GET {share}/{container}/v4/share/{puid}).
// The page only fills in the dialog's state, as a user would, and reports what came back.
import { Filerobot, Plugin } from "@filerobot/core";
// The explorer's entry first, so its modules initialise in the order the real widget has
// (some of its slices import each other in a cycle); its plugin renders the sharebox page.
import Explorer from "@filerobot/explorer";
import { selectIsUserPermittedToShare, selectUser } from "@filerobot/core/lib/slices/user.slice";
import { PLUGINS_IDS } from "@filerobot/utils/lib/constants";
import { createSharedAssets } from "@filerobot/explorer/lib/components/SharePanel/SharePanel.thunks";
import { adaptDataBeforeSave } from "@filerobot/explorer/lib/components/Modals/ShareFolder/ShareFolder.utils";
import { SHARE_MODAL_DEFAULT_STATE } from "@filerobot/explorer/lib/components/Modals/ShareFolder/ShareFolder.constants";
import { fetchShareboxFilesAndFolders } from "@filerobot/explorer/lib/slices/sharebox.slice";

// The explorer plugin's options are where the sharebox slice reads the puid and password;
// this stand-in carries only those (the real plugin renders the whole UI).
class ShareboxOptions extends Plugin {
  constructor(filerobot, opts) {
    super(filerobot, opts);
    this.id = PLUGINS_IDS.EXPLORER;
    this.type = "explorer";
    this.i18n = (key) => key;
  }
}

function waitFor(check, what, timeoutMs = 10000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = check();
      if (value) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 25);
    };
    poll();
  });
}

const unwrap = (result) => (result && typeof result === "object" && "payload" in result ? result.payload : result);

async function openSharebox(filerobot, puid, password) {
  const events = [];
  for (const name of ["sharebox-loaded", "sharebox-requires-password", "sharebox-wrong-password", "sharebox-loading-error"]) {
    filerobot.on(name, () => events.push(name));
  }
  const stand_in = filerobot.getPlugin(PLUGINS_IDS.EXPLORER);
  stand_in.opts = { ...stand_in.opts, shareboxPUID: puid, shareboxPassword: password };
  let result;
  try {
    result = unwrap(await filerobot.dispatch(fetchShareboxFilesAndFolders()));
  } catch (error) {
    result = { error: String(error && error.message ? error.message : error) };
  }
  for (const name of ["sharebox-loaded", "sharebox-requires-password", "sharebox-wrong-password", "sharebox-loading-error"]) {
    filerobot.off(name);
  }
  return { events, result };
}

window.sharemockFilerobot = async function run({ api, container, sassKey, folderUuid, password }) {
  const filerobot = new Filerobot({
    id: "sharemock",
    container,
    apiEndpoint: api,
    shareApiEndpoint: api,
    sassKey,
    sassKeyRenewerEnabled: false,
  });
  filerobot.use(ShareboxOptions, {});
  const user = await waitFor(() => {
    const current = selectUser(filerobot.getGlobalState());
    return current.authState ? current : null;
  }, "the key info answer");
  const permittedToShare = selectIsUserPermittedToShare(filerobot.getGlobalState());

  // The share-folder dialog, filled in: a title, a password, an expiry in a week, view only.
  const inAWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  const dialog = {
    ...SHARE_MODAL_DEFAULT_STATE,
    title: "Made by the widget",
    description: "Shared from a real browser",
    requirePassword: true,
    identifiers: password,
    showExpirationDate: true,
    expirationDate: `${inAWeek.getFullYear()}-${pad(inAWeek.getMonth() + 1)}-${pad(inAWeek.getDate())}`,
    expirationTime: "17:30",
    disableDownload: "READ",
  };
  const shareData = adaptDataBeforeSave(dialog, container, [folderUuid]);
  const shareUri = unwrap(
    await filerobot.dispatch(createSharedAssets({ shareData, companyName: "sharemock", shareApiEndpoint: api, container }))
  );
  const puid = String(shareUri).split("/").pop();

  return {
    authState: user.authState,
    permissions: user.permissions,
    permittedToShare,
    shareData,
    shareUri,
    puid,
    withoutPassword: await openSharebox(filerobot, puid, undefined),
    wrongPassword: await openSharebox(filerobot, puid, "not-it"),
    withPassword: await openSharebox(filerobot, puid, password),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
};

// The explorer itself, rendered in sharebox mode: the public page a visitor sees. Each call
// renders a new widget into a fresh element of `target`.
let views = 0;
window.sharemockFilerobotView = function view({ api, shareApi, container, puid, password, target }) {
  views += 1;
  const mount = document.createElement("div");
  mount.id = `sharebox-view-${views}`;
  mount.style.height = "100%";
  document.querySelector(target).replaceChildren(mount);
  const filerobot = new Filerobot({
    id: mount.id,
    container,
    apiEndpoint: api,
    shareApiEndpoint: shareApi,
    sassKeyRenewerEnabled: false,
  });
  return new Promise((resolve) => {
    for (const outcome of ["loaded", "requires-password", "wrong-password", "loading-error"]) {
      filerobot.on(`sharebox-${outcome}`, () => resolve(outcome));
    }
    filerobot.use(Explorer, {
      target: `#${mount.id}`,
      inline: true,
      shareboxPUID: puid,
      shareboxPassword: password,
      view: "SHAREBOX",
      defaultView: "SHAREBOX",
      views: ["SHAREBOX"],
    });
  });
};
