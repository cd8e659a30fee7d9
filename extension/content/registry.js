/**
 * The feature registry (refined-github's feature manager, small): each feature file
 * registers {id, include(url, context), init(signal, context)}; the registry runs the features
 * whose include() accepts the page, each with its own AbortController, and aborts a
 * feature when a navigation (the site is a single-page app) leaves its pages or the page
 * goes away. Everything a feature attaches is tied to its signal.
 */

/** A registry; the content scripts use the one exported below, tests make their own. */
export function createRegistry() {
  const features = [];
  const running = new Map(); // id → AbortController

  function start(feature, context) {
    const controller = new AbortController();
    running.set(feature.id, controller);
    try {
      Promise.resolve(feature.init(controller.signal, context)).catch((error) => {
        if (!controller.signal.aborted) console.error(`[credit-guard] ${feature.id} failed`, error);
      });
    } catch (error) {
      console.error(`[credit-guard] ${feature.id} failed`, error);
    }
  }

  function wants(feature, url, context) {
    try {
      return feature.include(url, context) === true;
    } catch (error) {
      console.error(`[credit-guard] ${feature.id}: include failed`, error);
      return false;
    }
  }

  return {
    /** Adds a feature; ids are unique and name the feature's file. */
    register(feature) {
      if (typeof feature?.id !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(feature.id)) {
        throw new TypeError(`feature id must be kebab-case: ${feature?.id}`);
      }
      if (typeof feature.include !== "function" || typeof feature.init !== "function") {
        throw new TypeError(`feature ${feature.id} needs include(url) and init(signal, context)`);
      }
      if (features.some(({ id }) => id === feature.id)) throw new Error(`feature ${feature.id} registered twice`);
      features.push(feature);
    },

    /** Starts the features that want `url` and are not running; aborts the others. */
    update(url, context) {
      for (const feature of features) {
        const controller = running.get(feature.id);
        if (wants(feature, url, context)) {
          if (!controller) start(feature, context);
        } else if (controller) {
          running.delete(feature.id);
          controller.abort();
        }
      }
    },

    /** Aborts every running feature (the page is going away). */
    stopAll() {
      for (const controller of running.values()) controller.abort();
      running.clear();
    },

    /** Ids of the running features, in registration order. */
    running() {
      return features.filter(({ id }) => running.has(id)).map(({ id }) => id);
    },
  };
}

const registry = createRegistry();

export const register = registry.register;
export const updateFeatures = registry.update;
export const stopFeatures = registry.stopAll;

