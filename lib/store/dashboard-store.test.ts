import { describe, expect, it } from 'vitest';
import { fakeApi, makeStore } from './test-helpers';
import { createDashboardStore } from './dashboard-store';

/** The state and actions components read today (grep of components/ for useDashboard and getState()). */
const STATE = [
  'backend',
  'backendError',
  'manifest',
  'models',
  'modelOrder',
  'selectedModelId',
  'modelsListed',
  'images',
  'selectedImageId',
  'introImageId',
  'resize',
  'predictions',
  'notices',
  'busy',
  'datasets',
  'evaluations',
  'costSettings',
  'probes',
  'backendSpeeds',
  'switchingBackend',
  'temperatures',
];
const ACTIONS = [
  'init',
  'notify',
  'dismissNotice',
  'selectModel',
  'ensureModel',
  'loadUserFiles',
  'renameModel',
  'updateModelSettings',
  'removeModel',
  'addImageFiles',
  'addSamples',
  'addIntroSample',
  'selectImage',
  'removeImage',
  'setResize',
  'ensurePrediction',
  'ensureDataset',
  'addLabelledSet',
  'ensureEvaluation',
  'cancelEvaluation',
  'costSettingsFor',
  'setCostSettings',
  'openDatasetImage',
  'probeModel',
  'switchBackend',
  'backendChanged',
  'measureBackends',
  'adoptBuiltModel',
  'setTemperature',
];

describe('createDashboardStore (the slices combined)', () => {
  it('keeps the state shape and action names the components use', () => {
    const s = makeStore(fakeApi().api).getState() as unknown as Record<string, unknown>;
    for (const k of STATE) expect(s, k).toHaveProperty(k);
    for (const k of ACTIONS) expect(typeof s[k], k).toBe('function');
    expect(Object.keys(s).sort()).toEqual([...STATE, ...ACTIONS, 'setBusy'].sort());
  });
  it('starts empty; the service is not asked for until an action needs it', () => {
    let asked = 0;
    const store = createDashboardStore({
      service: () => {
        asked++;
        return { api: fakeApi().api } as never;
      },
      storage: undefined,
    });
    expect(store.getState()).toMatchObject({
      backend: null,
      models: {},
      images: [],
      notices: [],
      costSettings: {},
      resize: null,
    });
    store.getState().notify('info', 'hi');
    store.getState().setResize('pad');
    expect(asked).toBe(0);
  });
});
